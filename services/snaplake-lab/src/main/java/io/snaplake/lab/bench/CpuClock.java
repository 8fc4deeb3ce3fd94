package io.snaplake.lab.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/**
 * This process's CPU (user + system, every thread: the engine's, the SDK's I/O threads, JIT and GC) since
 * construction. Nothing else runs in this JVM while an engine is measured: the servers and the latency proxy
 * are processes of their own.
 */
final class CpuClock {

    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final long processStart = os.getProcessCpuTime();

    double secondsSinceStart() {
        return (os.getProcessCpuTime() - processStart) / 1e9;
    }
}
