package io.snaplake.cli.ops;

import io.snaplake.cli.AwsOptions;
import io.snaplake.events.PipelineFailure;
import io.snaplake.pipeline.Topic;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code snaplake notify}: consumes every failure topic and every dead-letter topic (from {@link Topic}, so
 * new stages are covered) and sends one message per failure to an SNS topic and/or a Slack-compatible
 * webhook. Offsets are committed after the messages went out (at least once); a failure delivered twice
 * carries the same event id and is sent once; a replay that fails again is a new event, a new message.
 * A notification channel that is down is waited out (capped backoff), never skipped.
 */
@Command(name = "notify", mixinStandardHelpOptions = true,
        description = "Send one message per pipeline failure and dead letter to SNS and/or a Slack-compatible webhook.")
public final class NotifyCommand implements Callable<Integer> {

    @Option(names = "--sns-topic-arn", description = "SNS topic to publish to.")
    String snsTopicArn;

    @Option(names = "--webhook-url", description = "Slack-compatible incoming webhook (POST {\"text\": ...}).")
    URI webhookUrl;

    @Option(names = "--group", defaultValue = "snaplake-failure-notifier", description = "Consumer group (default ${DEFAULT-VALUE}).")
    String group;

    @Option(names = "--from-beginning", description = "On the group's first start, notify failures already in the topics (default: only new ones).")
    boolean fromBeginning;

    @Mixin
    AwsOptions aws = new AwsOptions();

    @Mixin
    KafkaEndpoints endpoints = new KafkaEndpoints();

    @Spec
    CommandSpec spec;

    PrintStream out = System.out;
    final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, Boolean> sent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 100_000;
        }
    };
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public Integer call() throws Exception {
        if (snsTopicArn == null && webhookUrl == null) {
            throw new ParameterException(spec.commandLine(), "give --sns-topic-arn, --webhook-url or both: where should failures go?");
        }
        List<String> topics = new ArrayList<>();
        Flow.failureTopics().forEach(topic -> topics.add(topic.topicName()));
        topics.addAll(Flow.deadLetterTopics());
        Properties props = endpoints.clientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Sending waits out an outage of SNS or the webhook inside the poll loop.
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Duration.ofMinutes(30).toMillis());
        SnsPublisher sns = snsTopicArn == null ? null : snsPublisher();
        try (EventDecoder decoder = new EventDecoder(endpoints);
                KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(topics);
            out.printf("snaplake notify: watching %d failure topics and %d dead-letter topics (group %s) -> %s%s%n",
                    Flow.failureTopics().size(), Flow.deadLetterTopics().size(), group,
                    snsTopicArn == null ? "" : "SNS " + snsTopicArn + " ", webhookUrl == null ? "" : "webhook " + webhookUrl);
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    FailureNotice notice = noticeOf(record, decoder);
                    if (notice == null || sent.containsKey(notice.id())) {
                        continue;
                    }
                    deliver(notice, sns);
                    sent.put(notice.id(), true);
                    out.println("notified: " + notice.subject());
                }
                consumer.commitSync();
            }
        }
        return 0;
    }

    private FailureNotice noticeOf(ConsumerRecord<String, byte[]> record, EventDecoder decoder) {
        if (record.topic().endsWith(".dlq")) {
            return FailureNotice.deadLetter(record.topic(), record.partition(), record.offset(), record.key(), record.headers());
        }
        SpecificRecord event = decoder.decode(record.topic(), record.value());
        if (event instanceof PipelineFailure failure) {
            return FailureNotice.of(failure, Topic.byName(record.topic()).orElseThrow());
        }
        return FailureNotice.deadLetter(record.topic(), record.partition(), record.offset(), record.key(), record.headers());
    }

    /** Sends to every channel; a channel that fails is retried with capped backoff until it answers. */
    private void deliver(FailureNotice notice, SnsPublisher sns) throws InterruptedException {
        Duration backoff = Duration.ofMillis(500);
        while (true) {
            try {
                if (sns != null) {
                    sns.publish(snsTopicArn, notice.subject(), notice.text());
                }
                if (webhookUrl != null) {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(webhookUrl).timeout(Duration.ofSeconds(10))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(slackJson(notice))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() / 100 != 2) {
                        throw new IllegalStateException("webhook answered " + response.statusCode() + ": " + response.body());
                    }
                }
                return;
            } catch (RuntimeException | java.io.IOException outage) {
                out.println("notify: could not deliver (" + outage.getMessage() + "); retrying in " + backoff.toMillis() + " ms");
                Thread.sleep(backoff.toMillis()); // capped backoff while a channel is down
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : backoff.multipliedBy(2);
            }
        }
    }

    static String slackJson(FailureNotice notice) {
        return JsonText.object(Map.of("text", notice.text().stripTrailing()));
    }

    private SnsPublisher snsPublisher() {
        return new SnsPublisher(aws.endpoint(), aws.region());
    }
}
