package io.snaplake.cli.ops;

import static io.snaplake.cli.ops.DayEvents.created;
import static io.snaplake.cli.ops.DayEvents.exportStarted;
import static io.snaplake.cli.ops.DayEvents.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.snaplake.events.SnapshotRef;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.testkit.SecuredLocalKafka;
import io.snaplake.pipeline.Topic;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The operator commands against a broker that admits only SASL/SCRAM clients: the client config file given
 * with {@code --command-config} reaches the command's consumer (and its serde), as it would reach a
 * production cluster's TLS and SASL settings. Without it the command could not even read metadata
 * (SecuredLocalKafkaTest shows the refusal).
 */
class SecuredKafkaCommandsTest {

    private static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).minusDays(2);

    private static SecuredLocalKafka kafka;
    private static Path clientConfig;

    @BeforeAll
    static void startTheSecuredBrokerAndPublishADay() throws Exception {
        kafka = SecuredLocalKafka.start();
        kafka.createTopics(Arrays.stream(Topic.values()).map(Topic::topicName).toArray(String[]::new));
        clientConfig = Files.createDirectories(Path.of("target", "secured-kafka")).resolve("client.properties");
        Properties properties = new Properties();
        properties.putAll(kafka.clientProperties());
        try (var writer = Files.newBufferedWriter(clientConfig)) {
            properties.store(writer, "SASL/SCRAM login for the secured local broker");
        }
        try (DayEvents.Publisher publisher = new DayEvents.Publisher(kafka.bootstrapServers(), LocalInfra.registry().url(),
                kafka.clientProperties())) {
            SnapshotRef secured = snapshot("securedcluster", DAY);
            publisher.publish(Topic.SNAPSHOTS_CREATED, created(secured, DAY.atTime(3, 1).toInstant(ZoneOffset.UTC)));
            publisher.publish(Topic.EXPORTS_STARTED, exportStarted(secured, DAY.atTime(3, 2).toInstant(ZoneOffset.UTC)));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        kafka.close();
    }

    @Test
    void historyReadsTheDay_throughTheClientConfigFileGivenWithCommandConfig() {
        HistoryCommand command = new HistoryCommand();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        command.out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        int exit = new CommandLine(command).execute("--date", DAY.toString(),
                "--bootstrap-servers", kafka.bootstrapServers(), "--registry-url", LocalInfra.registry().url(),
                "--command-config", clientConfig.toString());

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(out).isZero();
        assertThat(out).contains("securedcluster").contains("read 2 events");
    }
}
