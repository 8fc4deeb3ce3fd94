package io.snaplake.cli.ops;

import io.snaplake.pipeline.Topic;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code snaplake dlq list|redrive}: the consumers' dead letters, with their reason and origin. */
@Command(name = "dlq", mixinStandardHelpOptions = true, description = "List dead letters, or re-publish chosen ones to their original topic.",
        subcommands = {DlqCommand.List.class, DlqCommand.Redrive.class})
public final class DlqCommand {

    /** A dead letter as read, with where it came from. */
    record DeadLetter(ConsumerRecord<String, byte[]> record, FailureNotice notice) {

        String originalTopic() {
            var header = record.headers().lastHeader(FailureNotice.ORIGINAL_TOPIC);
            return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Show each dead letter with its reason and origin.")
    static final class List implements Callable<Integer> {

        @Option(names = "--topic", description = "Only this dead-letter topic (default: every consumer's).")
        String topic;

        @Mixin
        KafkaEndpoints endpoints = new KafkaEndpoints();

        PrintStream out = System.out;

        @Override
        public Integer call() {
            java.util.List<String> topics = topic != null ? java.util.List.of(topic) : Flow.deadLetterTopics();
            int count = 0;
            for (DeadLetter letter : read(endpoints, topics, Map.of())) {
                ConsumerRecord<String, byte[]> record = letter.record();
                out.printf("%s %d@%d  %s  key=%s%n    origin: %s%n    reason: %s%n", record.topic(), record.partition(), record.offset(),
                        Instant.ofEpochMilli(record.timestamp()), record.key(), letter.notice().fields().get("origin"),
                        letter.notice().fields().get("cause"));
                count++;
            }
            out.printf("%d dead letter(s) in %d topic(s)%n", count, topics.size());
            return 0;
        }
    }

    @Command(name = "redrive", mixinStandardHelpOptions = true,
            description = "Re-publish chosen dead letters (same key and bytes) to their original topic, once the cause is fixed.")
    static final class Redrive implements Callable<Integer> {

        @Option(names = "--topic", required = true, description = "The dead-letter topic.")
        String topic;

        @Option(names = "--offset", required = true, description = "partition@offset of a dead letter (repeatable), as `dlq list` prints it.")
        java.util.List<String> offsets;

        @Mixin
        KafkaEndpoints endpoints = new KafkaEndpoints();

        @Spec
        CommandSpec spec;

        PrintStream out = System.out;

        @Override
        public Integer call() throws Exception {
            Map<TopicPartition, java.util.List<Long>> wanted = new HashMap<>();
            for (String offset : offsets) {
                String[] parts = offset.split("@");
                if (parts.length != 2 || !parts[0].matches("\\d+") || !parts[1].matches("\\d+")) {
                    throw new ParameterException(spec.commandLine(), "--offset must be partition@offset, e.g. 0@12, not '" + offset + "'");
                }
                wanted.computeIfAbsent(new TopicPartition(topic, Integer.parseInt(parts[0])), p -> new ArrayList<>()).add(Long.parseLong(parts[1]));
            }
            java.util.List<DeadLetter> letters = read(endpoints, java.util.List.of(topic), wanted);
            if (letters.size() != offsets.size()) {
                throw new ParameterException(spec.commandLine(), "found " + letters.size() + " of the " + offsets.size()
                        + " dead letters asked for on " + topic + ": check the offsets with ./snaplake dlq list --topic " + topic);
            }
            for (DeadLetter letter : letters) {
                if (letter.originalTopic() == null || Topic.byName(letter.originalTopic()).isEmpty()) {
                    throw new ParameterException(spec.commandLine(), topic + " " + letter.record().partition() + "@" + letter.record().offset()
                            + " names no snaplake topic as its origin (" + letter.originalTopic() + "): not redriven");
                }
            }
            Properties props = endpoints.clientProperties();
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
                for (DeadLetter letter : letters) {
                    ConsumerRecord<String, byte[]> record = letter.record();
                    ProducerRecord<String, byte[]> redriven = new ProducerRecord<>(letter.originalTopic(), record.key(), record.value());
                    redriven.headers().add(new RecordHeader("snaplake-redriven-from",
                            (record.topic() + " " + record.partition() + "@" + record.offset()).getBytes(StandardCharsets.UTF_8)));
                    var sent = producer.send(redriven).get();
                    out.printf("redriven %s %d@%d -> %s %d@%d%n", record.topic(), record.partition(), record.offset(),
                            sent.topic(), sent.partition(), sent.offset());
                }
            }
            return 0;
        }
    }

    /** Reads dead-letter topics to their end (they are small: a dead letter is rare), or only the offsets wanted. */
    static java.util.List<DeadLetter> read(KafkaEndpoints endpoints, java.util.List<String> topics, Map<TopicPartition, java.util.List<Long>> only) {
        Properties props = endpoints.clientProperties();
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        java.util.List<DeadLetter> letters = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            java.util.List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                java.util.List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
                if (infos != null) {
                    infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
                }
            }
            if (!only.isEmpty()) {
                partitions.retainAll(only.keySet());
            }
            Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
            Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions, Duration.ofSeconds(30));
            ends.entrySet().removeIf(entry -> entry.getValue() <= begins.get(entry.getKey()));
            consumer.assign(ends.keySet());
            ends.keySet().forEach(partition -> consumer.seek(partition, only.containsKey(partition)
                    ? Math.max(begins.get(partition), only.get(partition).stream().min(Long::compare).orElseThrow()) : begins.get(partition)));
            while (!ends.isEmpty()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (!ends.containsKey(partition) || (only.containsKey(partition) && !only.get(partition).contains(record.offset()))) {
                        continue;
                    }
                    letters.add(new DeadLetter(record, FailureNotice.deadLetter(record.topic(), record.partition(), record.offset(),
                            record.key(), record.headers())));
                }
                ends.entrySet().removeIf(entry -> consumer.position(entry.getKey()) >= entry.getValue());
            }
        }
        return letters;
    }
}
