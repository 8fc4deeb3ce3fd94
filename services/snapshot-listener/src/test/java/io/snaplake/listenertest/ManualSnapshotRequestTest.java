package io.snaplake.listenertest;

import static io.snaplake.listenertest.SnapshotCreatedTopic.eventsFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.snaplake.events.DiscoverySource;
import io.snaplake.pipeline.EventIds;
import io.snaplake.snapshotlistener.ExpectedEvents;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DBSnapshot;

/** POST /snapshots against the running listener, with the snapshots looked up in moto's RDS. */
class ManualSnapshotRequestTest {

    private static final String PREFIX = TestAws.unique("manual");

    @AutoClose
    private static RunningListener listener;

    @BeforeAll
    static void startListener() {
        TestAws.Queues queues = TestAws.queues(TestAws.unique("rds-events"));
        listener = ListenerProperties.reading(queues).clusters(PREFIX + "-*").instances(PREFIX + "-*").start();
    }

    @Test
    void emitsTheWholeSnapshotCreated_andAnswersWithItsEventId() {
        String cluster = PREFIX + "-orders";
        DBClusterSnapshot snapshot = TestAws.clusterWithAutomatedSnapshot(cluster);
        String arn = snapshot.dbClusterSnapshotArn();

        HttpResponse<String> answer = listener.post("/snapshots", "{\"snapshotArn\": \"" + arn + "\"}");

        String eventId = EventIds.of("SnapshotCreated", arn);
        assertThat(answer.statusCode()).isEqualTo(201);
        assertThat(answer.body()).contains("\"outcome\":\"EMITTED\"", "\"eventId\":\"" + eventId + "\"",
                "\"message\":\"Emitted SnapshotCreated " + eventId + " for " + arn + "\"");
        LocalDate day = TestAws.dayOf(snapshot.dbClusterSnapshotIdentifier());
        assertThat(eventsFor(arn)).containsExactly(ExpectedEvents.clusterSnapshotCreated(cluster, snapshot.dbClusterSnapshotIdentifier(),
                        day, snapshot.snapshotCreateTime().truncatedTo(ChronoUnit.MILLIS))
                .setAllocatedStorageGb(TestAws.CLUSTER_STORAGE_GB)
                .setDiscoveredBy(DiscoverySource.MANUAL)
                .build());
        // What Prometheus scrapes: the cluster's day announced (the freshness alert's first stage).
        assertThat(listener.get("/actuator/prometheus").body().lines()
                .filter(line -> line.startsWith("snaplake_stage_last_completed_day_seconds{") && line.contains("\"" + cluster + "\"")))
                .containsExactly("snaplake_stage_last_completed_day_seconds{application=\"snapshot-listener\",cluster=\"" + cluster
                        + "\",stage=\"snapshot-listener\"} " + (double) day.atStartOfDay().toEpochSecond(ZoneOffset.UTC));
    }

    @Test
    void findsAnInstanceSnapshot_byInstanceAndSnapshotId() {
        String instance = PREFIX + "-db";
        DBSnapshot snapshot = TestAws.instanceWithAutomatedSnapshot(instance);

        HttpResponse<String> answer = listener.post("/snapshots",
                "{\"instanceId\": \"" + instance + "\", \"snapshotId\": \"" + snapshot.dbSnapshotIdentifier() + "\"}");

        assertThat(answer.statusCode()).isEqualTo(201);
        assertThat(eventsFor(snapshot.dbSnapshotArn())).singleElement()
                .satisfies(event -> assertThat(event.getDiscoveredBy()).isEqualTo(DiscoverySource.MANUAL));
    }

    @Test
    void answersNotFound_forASnapshotRdsDoesNotHave() {
        String arn = ExpectedEvents.clusterSnapshotArn("rds:" + PREFIX + "-gone-2026-11-20-03-10");

        HttpResponse<String> answer = listener.post("/snapshots", "{\"snapshotArn\": \"" + arn + "\"}");

        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.body()).contains("RDS has no snapshot " + arn);
        assertThat(eventsFor(arn)).isEmpty();
    }

    @Test
    void refuses_aSnapshotOfAClusterThatIsNotConfigured() {
        String cluster = TestAws.unique("unlisted");
        DBClusterSnapshot snapshot = TestAws.clusterWithAutomatedSnapshot(cluster);

        HttpResponse<String> answer = listener.post("/snapshots", "{\"snapshotArn\": \"" + snapshot.dbClusterSnapshotArn() + "\"}");

        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(answer.body()).contains("cluster " + cluster + " is not one of the configured sources");
        assertThat(eventsFor(snapshot.dbClusterSnapshotArn())).isEmpty();
    }

    @Test
    void refuses_aRequestThatNamesNoSnapshot() {
        HttpResponse<String> answer = listener.post("/snapshots", "{\"clusterId\": \"" + PREFIX + "-orders\"}");

        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(answer.body()).contains("name a snapshot by snapshotArn, or by snapshotId with either clusterId or instanceId");
    }
}
