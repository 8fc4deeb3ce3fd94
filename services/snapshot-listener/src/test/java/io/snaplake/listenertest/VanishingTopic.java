package io.snaplake.listenertest;

import io.snaplake.testkit.LocalInfra;
import io.snaplake.testkit.LocalKafka;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A SnapshotCreated topic of one test's own, deleted while the listener runs so that Kafka stops
 * acknowledging the listener's writes. The broker is shared by the whole test JVM, so it cannot be stopped
 * for one test: only the SnapshotCreated producer loses Kafka, while the history reader still reads the real topic.
 */
final class VanishingTopic {

    private static final String PRODUCER = "spring.cloud.stream.kafka.bindings.snapshotCreated-out-0.producer.configuration.";

    private final String name;

    VanishingTopic(String prefix) {
        this.name = TestAws.unique(prefix);
        LocalInfra.kafka().createTopics(name);
    }

    String name() {
        return name;
    }

    /** The listener writes SnapshotCreated here, and gives up on a write Kafka does not acknowledge within 2 s. */
    ListenerProperties writtenBy(ListenerProperties listener) {
        return listener.set("spring.cloud.stream.bindings.snapshotCreated-out-0.destination", name)
                .set(PRODUCER + "max.block.ms", "1000")
                .set(PRODUCER + "request.timeout.ms", "1000")
                .set(PRODUCER + "delivery.timeout.ms", "2000");
    }

    void delete() throws ExecutionException, InterruptedException {
        LocalInfra.kafka().admin().deleteTopics(List.of(name)).all().get();
    }

    /** Kafka back: the topic again, as it was; fails while the broker still finishes deleting it. */
    void createAgain() throws ExecutionException, InterruptedException {
        LocalInfra.kafka().admin().createTopics(List.of(new NewTopic(name, LocalKafka.PARTITIONS, (short) 1))).all().get();
    }
}
