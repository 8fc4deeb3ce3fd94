package io.snaplake.lab.chaos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a run started (backends, proxies, service processes), stopped in the reverse order: the services,
 * then the backends they use. Safe to stop from a shutdown hook while the run is still starting things.
 */
final class StartedResources {

    private final List<AutoCloseable> started = new ArrayList<>();

    /** Records {@code resource} as started; returns it. */
    synchronized <T extends AutoCloseable> T add(T resource) {
        started.add(resource);
        return resource;
    }

    /** Stops everything started so far, last first; a resource that fails to stop is reported and passed over. */
    void closeAll() {
        List<AutoCloseable> closing;
        synchronized (this) {
            closing = new ArrayList<>(started);
            started.clear();
        }
        Collections.reverse(closing);
        for (AutoCloseable resource : closing) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("snaplake chaos: could not stop " + resource.getClass().getSimpleName() + ": " + e);
            }
        }
    }
}
