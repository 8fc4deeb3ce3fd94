package io.snaplake.pipeline.messaging;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * The listener container of every consumer binding, recorded by {@link DeadLetterPublishing} as the binder
 * creates them, so readiness can tell whether each consumer is running.
 */
public final class ConsumerContainers {

    /** One binding's container: its destination (topic) and group. */
    public record Entry(String destination, String group, MessageListenerContainer container) {

        public String name() {
            return destination + " (group " + group + ")";
        }
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    void add(String destination, String group, MessageListenerContainer container) {
        entries.add(new Entry(destination, group, container));
    }

    public List<Entry> all() {
        return List.copyOf(entries);
    }
}
