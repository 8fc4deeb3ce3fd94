package io.snaplake.cli.ops;

import io.snaplake.events.PipelineFailure;
import io.snaplake.pipeline.Stage;
import io.snaplake.pipeline.Topic;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The pipeline's shape as the operator commands see it, derived from {@link Topic} alone, so that a stage
 * added to the topic list is covered by history, replay and the notifier without edits here.
 */
public final class Flow {

    private Flow() {
    }

    /** The topic a stage consumes from the stage before it; empty for the first stage (fed from outside Kafka). */
    public static Optional<Topic> inputOf(Stage stage) {
        return Arrays.stream(Topic.values())
                .filter(topic -> topic.consumers().contains(stage) && topic.producer() != stage)
                .findFirst();
    }

    /** The event topics a stage writes (neither failures nor its private state). */
    public static List<Topic> outputsOf(Stage stage) {
        return Arrays.stream(Topic.values())
                .filter(topic -> topic.producer() == stage && isEventTopic(topic))
                .toList();
    }

    /** The topic whose event says the stage is done with a snapshot: its last output in flow order. */
    public static Optional<Topic> completionOf(Stage stage) {
        List<Topic> outputs = outputsOf(stage);
        return outputs.isEmpty() ? Optional.empty() : Optional.of(outputs.get(outputs.size() - 1));
    }

    /** Every topic that carries events about a snapshot's journey: stage outputs and failures. */
    public static List<Topic> journeyTopics() {
        return Arrays.stream(Topic.values()).filter(topic -> isEventTopic(topic) || isFailureTopic(topic)).toList();
    }

    public static List<Topic> failureTopics() {
        return Arrays.stream(Topic.values()).filter(Flow::isFailureTopic).toList();
    }

    /**
     * Every consumer's dead-letter topic: {@code <topic>.<consumer>.dlq} for each consumer of each topic but a
     * state topic (read by its stage's own state-store consumer, not by a binding: no dead letters).
     */
    public static List<String> deadLetterTopics() {
        List<String> topics = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            if (topic.isState()) {
                continue;
            }
            for (Stage consumer : topic.consumers()) {
                topics.add(topic.deadLetterTopic(consumer));
            }
        }
        return topics;
    }

    public static boolean isFailureTopic(Topic topic) {
        return topic.valueType() == PipelineFailure.class;
    }

    /** A pipeline event (not a failure, not a stage's private state, which a stage both writes and reads). */
    public static boolean isEventTopic(Topic topic) {
        return !isFailureTopic(topic) && !topic.consumers().contains(topic.producer());
    }

    /** A stage by its service name, as operators type it. */
    public static Stage stageNamed(String name) {
        return Arrays.stream(Stage.values())
                .filter(stage -> stage.serviceName().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stage named '" + name + "'; the stages are "
                        + Arrays.stream(Stage.values()).map(Stage::serviceName).toList()));
    }
}
