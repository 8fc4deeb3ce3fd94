package io.snaplake.snapshotlistener;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * RDS events as EventBridge delivers them to SQS, from the fixtures in src/test/resources/events (AWS's
 * documented examples), optionally renamed to a snapshot of the test's own.
 */
public final class RdsEvents {

    public static final String CLUSTER_FIXTURE = "rds-event-0169-automated-cluster-snapshot-created.json";
    public static final String INSTANCE_FIXTURE = "rds-event-0091-automated-instance-snapshot-created.json";
    public static final String MANUAL_CLUSTER_SNAPSHOT_FIXTURE = "rds-event-0074-manual-cluster-snapshot.json";

    private static final DateTimeFormatter IDENTIFIER_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm");

    private RdsEvents() {
    }

    public static String fixture(String name) {
        try (InputStream in = RdsEvents.class.getResourceAsStream("/events/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RDS-EVENT-0169 for the automated snapshot of {@code cluster} taken at {@code takenAt} (UTC). */
    public static String clusterSnapshotCreated(String cluster, LocalDateTime takenAt) {
        return fixture(CLUSTER_FIXTURE).replace("my-db-cluster-2018-10-06-12-24", cluster + "-" + IDENTIFIER_TIME.format(takenAt));
    }

    /** RDS-EVENT-0091 for the automated snapshot of {@code instance} taken at {@code takenAt} (UTC). */
    public static String instanceSnapshotCreated(String instance, LocalDateTime takenAt) {
        return fixture(INSTANCE_FIXTURE).replace("snapshot-replica-2018-10-06-12-24", instance + "-" + IDENTIFIER_TIME.format(takenAt));
    }

    /** RDS-EVENT-0169 for an automated snapshot identifier RDS gave, e.g. rds:orders-2026-11-20-03-10. */
    public static String clusterSnapshotCreated(String snapshotId) {
        return fixture(CLUSTER_FIXTURE).replace("rds:my-db-cluster-2018-10-06-12-24", snapshotId);
    }

    /** RDS-EVENT-0091 for an automated snapshot identifier RDS gave, e.g. rds:orders-db-2026-11-20-03-10. */
    public static String instanceSnapshotCreated(String snapshotId) {
        return fixture(INSTANCE_FIXTURE).replace("rds:snapshot-replica-2018-10-06-12-24", snapshotId);
    }
}
