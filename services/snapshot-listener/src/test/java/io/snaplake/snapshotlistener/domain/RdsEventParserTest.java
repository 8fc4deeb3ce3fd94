package io.snaplake.snapshotlistener.domain;

import static io.snaplake.snapshotlistener.RdsEvents.CLUSTER_FIXTURE;
import static io.snaplake.snapshotlistener.RdsEvents.INSTANCE_FIXTURE;
import static io.snaplake.snapshotlistener.RdsEvents.MANUAL_CLUSTER_SNAPSHOT_FIXTURE;
import static io.snaplake.snapshotlistener.RdsEvents.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.snaplake.events.SnapshotSourceType;
import io.snaplake.snapshotlistener.domain.ParsedEvent.Irrelevant;
import io.snaplake.snapshotlistener.domain.ParsedEvent.Malformed;
import io.snaplake.snapshotlistener.domain.ParsedEvent.SnapshotCreation;
import io.snaplake.snapshotlistener.domain.Rejection.Code;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class RdsEventParserTest {

    private final RdsEventParser parser = new RdsEventParser(JsonMapper.builder().build());

    @Test
    void readsTheAutomatedClusterSnapshot_fromRdsEvent0169() {
        assertThat(parser.parse(fixture(CLUSTER_FIXTURE))).isEqualTo(creation(SnapshotSourceType.CLUSTER,
                "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:my-db-cluster-2018-10-06-12-24",
                "rds:my-db-cluster-2018-10-06-12-24", "my-db-cluster"));
    }

    @Test
    void readsTheAutomatedInstanceSnapshot_fromRdsEvent0091() {
        assertThat(parser.parse(fixture(INSTANCE_FIXTURE))).isEqualTo(creation(SnapshotSourceType.INSTANCE,
                "arn:aws:rds:us-east-1:123456789012:snapshot:rds:snapshot-replica-2018-10-06-12-24",
                "rds:snapshot-replica-2018-10-06-12-24", "snapshot-replica"));
    }

    @Test
    void findsOtherRdsEventsIrrelevant_notMalformed() {
        assertThat(parser.parse(fixture(MANUAL_CLUSTER_SNAPSHOT_FIXTURE)))
                .isEqualTo(new Irrelevant("RDS-EVENT-0074", "RDS DB Cluster Snapshot Event"));
    }

    @Test
    void rejectsABodyThatIsNotJson() {
        assertThat(rejection("this is not { json")).isEqualTo(Code.NOT_JSON);
        assertThat(rejection("[1, 2]")).isEqualTo(Code.NOT_JSON);
        assertThat(rejection("")).isEqualTo(Code.NOT_JSON);
    }

    @Test
    void rejectsAnEventFromAnotherSource() {
        Malformed malformed = (Malformed) parser.parse(fixture(CLUSTER_FIXTURE).replace("\"aws.rds\"", "\"aws.s3\""));

        assertThat(malformed.rejection()).isEqualTo(new Rejection(Code.NOT_AN_RDS_EVENT,
                "source is aws.s3, expected an EventBridge event from aws.rds"));
    }

    @Test
    void rejectsASnapshotEventWithoutItsArn() {
        assertThat(rejection(fixture(CLUSTER_FIXTURE).replace("\"SourceArn\"", "\"SomethingElse\""))).isEqualTo(Code.MISSING_FIELD);
        assertThat(rejection("{\"source\": \"aws.rds\", \"detail-type\": \"RDS DB Cluster Snapshot Event\"}")).isEqualTo(Code.MISSING_FIELD);
    }

    @Test
    void rejectsAnIdentifierWithoutTheAutomatedTimestamp() {
        String event = fixture(CLUSTER_FIXTURE).replace("my-db-cluster-2018-10-06-12-24", "my-db-cluster-nightly");

        assertThat(rejection(event)).isEqualTo(Code.UNRECOGNISED_IDENTIFIER);
    }

    @Test
    void rejectsAnEventWhoseArnNamesAnotherSnapshotOrKind() {
        String otherSnapshot = fixture(CLUSTER_FIXTURE).replace(
                "\"SourceArn\": \"arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:my-db-cluster-2018-10-06-12-24\"",
                "\"SourceArn\": \"arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:other-2018-10-06-12-24\"");
        String instanceArn = fixture(CLUSTER_FIXTURE).replace(":cluster-snapshot:", ":snapshot:");
        String wrongDetailType = fixture(CLUSTER_FIXTURE).replace("RDS DB Cluster Snapshot Event", "RDS DB Snapshot Event");

        assertThat(rejection(otherSnapshot)).isEqualTo(Code.INCONSISTENT_EVENT);
        assertThat(rejection(instanceArn)).isEqualTo(Code.INCONSISTENT_EVENT);
        assertThat(rejection(wrongDetailType)).isEqualTo(Code.INCONSISTENT_EVENT);
        assertThat(rejection(fixture(CLUSTER_FIXTURE).replace("arn:aws:rds:us-east-1:123456789012:cluster-snapshot:", "nonsense:")))
                .isEqualTo(Code.MALFORMED_ARN);
    }

    /** What the parser makes of the fixtures' snapshot, taken on 2018-10-06 in us-east-1 of account 123456789012. */
    private static SnapshotCreation creation(SnapshotSourceType type, String arn, String snapshotId, String sourceId) {
        return new SnapshotCreation(new RdsSnapshot(new SnapshotArn(arn, "us-east-1", "123456789012", type, snapshotId),
                sourceId, LocalDate.of(2018, 10, 6), null));
    }

    private Code rejection(String body) {
        ParsedEvent parsed = parser.parse(body);
        assertThat(parsed).isInstanceOf(Malformed.class);
        return ((Malformed) parsed).rejection().code();
    }
}
