package io.snaplake.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.snaplake.cli.TopicLayout;
import io.snaplake.events.ParquetCopied;
import io.snaplake.pipeline.Stage;
import io.snaplake.pipeline.Topic;
import io.snaplake.serde.AvroSerializer;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.testkit.LocalKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code snaplake dlq list} and {@code redrive} on the real broker, with a dead letter as the stages write one. */
class DlqCommandTest {

    @Test
    void listsADeadLetterWithItsOriginAndReason_andRedrivesItToItsOriginalTopic() throws Exception {
        TopicLayout.createMissing(LocalInfra.kafka().admin(), LocalKafka.PARTITIONS);
        String dlq = Topic.PARQUET_COPIED.deadLetterTopic(Stage.CRAWLER_RUNNER);
        AvroSerializer serializer = new AvroSerializer();
        serializer.configure(Map.of("schema.registry.url", LocalInfra.registry().url(), "auto.register.schemas", true,
                    // As the services register them (snaplake-defaults.yml): from the .avsc, without avro.java.string.
                    "avro.remove.java.properties", true), false);
        // A handling failure: the bytes are a good event (of a day no other test reads), the crawler gave up on it.
        ParquetCopied event = DayEvents.parquetCopied(DayEvents.snapshot("dlqcluster", LocalDate.of(2020, 1, 1)), Instant.now(), 2, 100); // after the serde's
        // class trust is installed (the builder's defaults load generated classes)
        byte[] value = serializer.serialize(Topic.PARQUET_COPIED.topicName(), event);
        RecordMetadata written = publishDeadLetter(dlq, "123456789012:dlqcluster", value);

        ByteArrayOutputStream listed = new ByteArrayOutputStream();
        DlqCommand.List list = new DlqCommand.List();
        list.out = new PrintStream(listed, true, StandardCharsets.UTF_8);
        list.endpoints = KafkaEndpoints.of(LocalInfra.kafka().bootstrapServers(), LocalInfra.registry().url());
        assertThat(new CommandLine(list).execute("--topic", dlq)).isZero();
        assertThat(listed.toString(StandardCharsets.UTF_8)).contains(
                dlq + " 0@" + written.offset() + "  ", "key=123456789012:dlqcluster",
                "    origin: snaplake.parquet.copied 1@7\n",
                "    reason: Glue CreateTable refused: EntityNotFoundException\n");

        ByteArrayOutputStream redriven = new ByteArrayOutputStream();
        DlqCommand.Redrive redrive = new DlqCommand.Redrive();
        redrive.out = new PrintStream(redriven, true, StandardCharsets.UTF_8);
        redrive.endpoints = list.endpoints;
        assertThat(new CommandLine(redrive).execute("--topic", dlq, "--offset", "0@" + written.offset())).isZero();

        String line = redriven.toString(StandardCharsets.UTF_8).trim();
        assertThat(line).startsWith("redriven " + dlq + " 0@" + written.offset() + " -> snaplake.parquet.copied ");
        String[] at = line.substring(line.lastIndexOf(' ') + 1).split("@");
        ConsumerRecord<String, byte[]> record = readOne(new TopicPartition(Topic.PARQUET_COPIED.topicName(), Integer.parseInt(at[0])), Long.parseLong(at[1]));
        assertThat(record.key()).isEqualTo("123456789012:dlqcluster");
        assertThat(record.value()).isEqualTo(value);
        assertThat(new String(record.headers().lastHeader("snaplake-redriven-from").value(), StandardCharsets.UTF_8))
                .isEqualTo(dlq + " 0@" + written.offset());
    }

    @Test
    void refusesAnOffsetThatIsNotPartitionAtOffset() {
        DlqCommand.Redrive redrive = new DlqCommand.Redrive();
        redrive.endpoints = KafkaEndpoints.of(LocalInfra.kafka().bootstrapServers(), LocalInfra.registry().url());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine commandLine = new CommandLine(redrive);
        commandLine.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));

        assertThat(commandLine.execute("--topic", "x.dlq", "--offset", "12")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--offset must be partition@offset, e.g. 0@12, not '12'");
    }

    private static RecordMetadata publishDeadLetter(String topic, String key, byte[] value) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfra.kafka().bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, 0, key, value);
            record.headers().add(new RecordHeader(FailureNotice.ORIGINAL_TOPIC, "snaplake.parquet.copied".getBytes(StandardCharsets.UTF_8)));
            record.headers().add(new RecordHeader(FailureNotice.ORIGINAL_PARTITION, ByteBuffer.allocate(4).putInt(1).array()));
            record.headers().add(new RecordHeader(FailureNotice.ORIGINAL_OFFSET, ByteBuffer.allocate(8).putLong(7).array()));
            record.headers().add(new RecordHeader(FailureNotice.EXCEPTION_MESSAGE,
                    "Glue CreateTable refused: EntityNotFoundException".getBytes(StandardCharsets.UTF_8)));
            return producer.send(record).get();
        }
    }

    private static ConsumerRecord<String, byte[]> readOne(TopicPartition partition, long offset) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfra.kafka().bootstrapServers());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, offset);
            for (int i = 0; i < 50; i++) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() == offset) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("no record at " + partition + "@" + offset);
    }
}
