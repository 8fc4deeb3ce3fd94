package io.snaplake.cli;

import io.snaplake.pipeline.Stage;
import io.snaplake.pipeline.Topic;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/** Prints the topic list (the same table as the README's). */
@Command(name = "topics", mixinStandardHelpOptions = true, description = "List snaplake's topics, their schema, producer and consumers.")
public final class TopicsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.println(TopicTable.markdown());
        return 0;
    }

    /** The topic table as Markdown, as it appears in the README. */
    public static final class TopicTable {

        private TopicTable() {
        }

        public static String markdown() {
            StringBuilder table = new StringBuilder()
                    .append("| topic | key | value schema | producer | consumers |\n")
                    .append("|---|---|---|---|---|\n");
            for (Topic topic : Topic.values()) {
                String consumers = topic.consumers().isEmpty()
                        ? "(none yet)"
                        : topic.consumers().stream().map(Stage::serviceName).collect(Collectors.joining(", "));
                table.append("| `").append(topic.topicName()).append("` | `").append(topic.keyDescription()).append("` | ")
                        .append(topic.valueType().getSimpleName()).append(" | ")
                        .append(topic.producer().serviceName()).append(" | ")
                        .append(consumers).append(" |\n");
            }
            return table.toString().strip();
        }
    }
}
