package io.snaplake.pipeline.health;

import io.snaplake.pipeline.messaging.ConsumerContainers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Readiness that says whether the service is doing its work, not only that its JVM is up: DOWN when a
 * consumer binding's listener container is not running (stopped, or stopped itself after a fatal error)
 * or when a {@link WorkLoop} says it stopped. It is part of the readiness group (snaplake-defaults.yml:
 * {@code management.endpoint.health.group.readiness.include}), so Kubernetes stops counting a replica
 * that no longer consumes; an outage being waited out is not a stop (the container runs and retries).
 */
public final class WorkReadinessIndicator implements HealthIndicator {

    private final ConsumerContainers containers;
    private final List<WorkLoop> workLoops;

    public WorkReadinessIndicator(ConsumerContainers containers, List<WorkLoop> workLoops) {
        this.containers = containers;
        this.workLoops = List.copyOf(workLoops);
    }

    @Override
    public Health health() {
        Map<String, String> consumers = new LinkedHashMap<>();
        Map<String, String> loops = new LinkedHashMap<>();
        boolean working = true;
        for (ConsumerContainers.Entry entry : containers.all()) {
            String state = state(entry.container());
            consumers.put(entry.name(), state);
            working &= "running".equals(state);
        }
        for (WorkLoop loop : workLoops) {
            WorkLoop.State state = loop.state();
            loops.put(loop.name(), (state.isWorking() ? "working" : "stopped") + ": " + state.detail());
            working &= state.isWorking();
        }
        return (working ? Health.up() : Health.down()).withDetail("consumers", consumers).withDetail("workLoops", loops)
                .build();
    }

    private static String state(MessageListenerContainer container) {
        if (container.isRunning()) {
            return container.isInExpectedState() ? "running" : "running, but a consumer stopped unexpectedly";
        }
        return container.isInExpectedState() ? "stopped" : "stopped after a fatal error";
    }
}
