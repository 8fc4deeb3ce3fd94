package io.snaplake.testkit;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A real Apache Kafka broker in KRaft mode inside this JVM (Kafka's own test cluster kit, through
 * Spring Kafka's {@link EmbeddedKafkaKraftBroker}). Single node, so every internal topic has
 * replication factor 1; topics are never auto-created, as in production: create them with
 * {@link #createTopics(String...)}.
 */
public final class LocalKafka implements AutoCloseable {

    /** Enough partitions to show per-key ordering and to run a few consumers side by side. */
    public static final int PARTITIONS = 3;

    static final Map<String, String> BROKER_PROPERTIES = Map.of(
            "auto.create.topics.enable", "false",
            "offsets.topic.replication.factor", "1",
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1",
            "min.insync.replicas", "1",
            "group.initial.rebalance.delay.ms", "0",
            "num.partitions", Integer.toString(PARTITIONS));

    private final EmbeddedKafkaKraftBroker broker;
    private final Admin admin;

    private LocalKafka(EmbeddedKafkaKraftBroker broker) {
        this.broker = broker;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()));
    }

    /** Starts a broker on a free port (tests). */
    public static LocalKafka start() {
        return start(0);
    }

    /** Starts a broker on a port chosen now and kept across {@link #stop()} and {@link #restart()} (outage tests). */
    public static LocalKafka startRestartable() {
        return start(FreePorts.next());
    }

    /** Starts a broker on the given port, or on a free one for 0 (the demo wants a well-known port). */
    public static LocalKafka start(int port) {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS);
        broker.brokerProperties(BROKER_PROPERTIES);
        if (port > 0) {
            broker.kafkaPorts(port);
        }
        // Kafka's storage formatter prints "Formatting metadata directory ... with metadata.version ..." to
        // System.out: noise in ./snaplake's output a user would have to learn to ignore. All else passes.
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(out, true) {
            @Override
            public java.io.PrintStream format(String format, Object... args) {
                // Kafka's Formatter: printf("Formatting %s %s with %s %s.%n", "metadata directory", ...)
                return format != null && format.startsWith("Formatting %s %s with") ? this : super.format(format, args);
            }
        });
        try {
            broker.afterPropertiesSet();
        } catch (RuntimeException e) {
            throw new LocalInfraException("Could not start a KRaft Kafka broker" + (port > 0 ? " on port " + port : ""), e);
        } finally {
            System.setOut(out);
        }
        return new LocalKafka(broker);
    }

    /**
     * Shuts the broker down (its KRaft controller keeps running, its log directories stay): clients see a
     * broker outage until {@link #restart()}.
     */
    public synchronized void stop() {
        broker.getCluster().brokers().values().forEach(server -> {
            server.shutdown();
            server.awaitShutdown();
        });
    }

    /**
     * Starts the broker again after {@link #stop()}, with its topics and committed offsets. It listens on the
     * same port only when it was started on a fixed one ({@link #start(int)}): clients keep their
     * {@code bootstrap.servers}.
     */
    public synchronized void restart() {
        broker.getCluster().brokers().values().forEach(server -> server.startup());
    }

    /** Comma-separated host:port list for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return broker.getBrokersAsString();
    }

    /** Creates each topic with {@value #PARTITIONS} partitions; a topic that already exists is left as it is. */
    public void createTopics(String... names) {
        List<NewTopic> topics = Arrays.stream(names).distinct()
                .map(name -> new NewTopic(name, PARTITIONS, (short) 1))
                .toList();
        admin.createTopics(topics).values().forEach((name, future) -> {
            try {
                future.get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new LocalInfraException("Could not create topic " + name, e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalInfraException("Interrupted while creating topic " + name, e);
            }
        });
    }

    /** An admin client on this broker, for tests that inspect topics or consumer groups. */
    public Admin admin() {
        return admin;
    }

    @Override
    public synchronized void close() {
        admin.close();
        broker.destroy();
    }
}
