package io.snaplake.snapshotlistener.domain;

import io.snaplake.events.SnapshotSourceType;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An RDS snapshot ARN, {@code arn:<partition>:rds:<region>:<account>:cluster-snapshot:<id>} for an
 * Aurora cluster snapshot or {@code ...:snapshot:<id>} for an instance snapshot. The snapshot id itself
 * contains a colon for automated snapshots ({@code rds:orders-2026-11-20-03-10}).
 */
public record SnapshotArn(String arn, String region, String accountId, SnapshotSourceType sourceType, String snapshotId) {

    private static final Pattern ARN = Pattern.compile(
            "arn:[a-z-]+:rds:(?<region>[a-z0-9-]+):(?<account>\\d{12}):(?<type>cluster-snapshot|snapshot):(?<id>.+)");

    /** The parts of an RDS snapshot ARN; empty for anything else. */
    public static Optional<SnapshotArn> parse(String arn) {
        return WholeMatch.of(ARN, arn).map(matcher -> new SnapshotArn(arn, matcher.group("region"), matcher.group("account"),
                matcher.group("type").equals("cluster-snapshot") ? SnapshotSourceType.CLUSTER : SnapshotSourceType.INSTANCE,
                matcher.group("id")));
    }
}
