package io.snaplake.listenertest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings a test starts the listener with: the queue it reads, the sources it takes, the sweep off
 * unless the test turns it on, and whatever else the test sets.
 */
public final class ListenerProperties {

    private final Map<String, String> properties = new LinkedHashMap<>();

    private ListenerProperties(String queueUrl) {
        properties.put("snaplake.listener.queue.url", queueUrl);
        properties.put("snaplake.listener.sweep.enabled", "false");
    }

    /** Reads the queue and dead-letters to its dead-letter queue, named explicitly. */
    public static ListenerProperties reading(TestAws.Queues queues) {
        return new ListenerProperties(queues.url()).set("snaplake.listener.queue.dead-letter-queue-url", queues.deadLetterUrl());
    }

    /** Reads the queue and finds its dead-letter queue in the queue's redrive policy. */
    public static ListenerProperties readingWithRedrivePolicy(TestAws.Queues queues) {
        return new ListenerProperties(queues.url());
    }

    /** The clusters the listener takes: identifiers or prefixes ending in *, comma-separated. */
    public ListenerProperties clusters(String patterns) {
        return set("snaplake.listener.sources.clusters", patterns);
    }

    /** The instances the listener takes: identifiers or prefixes ending in *, comma-separated. */
    public ListenerProperties instances(String patterns) {
        return set("snaplake.listener.sources.instances", patterns);
    }

    /** Turns the reconciliation sweep on: it runs at start-up, then every interval. */
    public ListenerProperties sweeping() {
        return set("snaplake.listener.sweep.enabled", "true");
    }

    public ListenerProperties set(String name, String value) {
        properties.put(name, value);
        return this;
    }

    public RunningListener start() {
        return RunningListener.start(properties);
    }
}
