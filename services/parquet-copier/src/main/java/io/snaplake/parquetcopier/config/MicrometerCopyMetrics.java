package io.snaplake.parquetcopier.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.snaplake.parquetcopier.domain.CopyMetrics;
import java.time.Duration;
import java.util.function.Function;

/**
 * The copier's Prometheus metrics: objects and bytes copied and already present, retries by cause, per-export
 * duration and throughput.
 */
final class MicrometerCopyMetrics implements CopyMetrics {

    private final MeterRegistry registry;
    private final Function<Throwable, String> retryReason;
    private final Counter objectsCopied;
    private final Counter bytesCopied;
    private final Counter objectsAlreadyPresent;
    private final Counter bytesAlreadyPresent;
    private final Timer exportDuration;
    private final DistributionSummary throughput;

    /** @param retryReason names a retry's cause for the retries counter's {@code reason} tag */
    MicrometerCopyMetrics(MeterRegistry registry, Function<Throwable, String> retryReason) {
        this.registry = registry;
        this.retryReason = retryReason;
        this.objectsCopied = Counter.builder("snaplake.copier.objects.copied").description("Objects copied into the lake").register(registry);
        this.bytesCopied = Counter.builder("snaplake.copier.bytes.copied").baseUnit("bytes").description("Bytes copied into the lake").register(registry);
        this.objectsAlreadyPresent = Counter.builder("snaplake.copier.objects.already.present")
                .description("Objects found identical in the lake and not copied again").register(registry);
        this.bytesAlreadyPresent = Counter.builder("snaplake.copier.bytes.already.present").baseUnit("bytes")
                .description("Bytes of the objects found identical in the lake and not copied again").register(registry);
        this.exportDuration = Timer.builder("snaplake.copier.export.duration").description("Time to copy one export").register(registry);
        this.throughput = DistributionSummary.builder("snaplake.copier.throughput").baseUnit("objects/s")
                .description("Objects copied per second, per export").register(registry);
    }

    @Override
    public void copied(long bytes) {
        objectsCopied.increment();
        bytesCopied.increment(bytes);
    }

    @Override
    public void alreadyPresent(long bytes) {
        objectsAlreadyPresent.increment();
        bytesAlreadyPresent.increment(bytes);
    }

    @Override
    public void retried(Throwable cause) {
        registry.counter("snaplake.copier.retries", "reason", retryReason.apply(cause)).increment();
    }

    @Override
    public void exportCopied(long objects, long bytes, Duration elapsed) {
        exportDuration.record(elapsed);
        if (elapsed.toNanos() > 0) {
            throughput.record(objects * 1e9 / elapsed.toNanos());
        }
    }
}
