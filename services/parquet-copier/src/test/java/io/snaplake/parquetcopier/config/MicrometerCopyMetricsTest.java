package io.snaplake.parquetcopier.config;

import static io.snaplake.parquetcopier.domain.WrittenExports.writeSmall;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snaplake.parquetcopier.aws.S3ObjectStore;
import io.snaplake.parquetcopier.domain.ExportCopier;
import io.snaplake.parquetcopier.domain.ExportLocation;
import io.snaplake.parquetcopier.domain.MotoCopier;
import io.snaplake.pipeline.retry.RetryPolicy;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.rdsexportwriter.BatchLayout;
import io.snaplake.rdsexportwriter.TableSpec;
import io.snaplake.rdsexportwriter.WrittenExport;
import io.snaplake.testkit.proxy.AwsError;
import io.snaplake.testkit.proxy.FaultProxy;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The copier's meters after real copies against moto, with the S3 fault proxy in front for the retries. */
class MicrometerCopyMetricsTest {

    private static final LocalDate DAY = LocalDate.parse("2026-11-20");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MicrometerCopyMetrics metrics = new MicrometerCopyMetrics(registry, S3ObjectStore::retryReason);

    @Test
    void countsObjectsAndBytesCopiedAndAlreadyPresent_andRetriesByCause() {
        WrittenExport throttled = write("metrics-throttled", 5);
        WrittenExport failing = write("metrics-failing", 4);
        ExportLocation throttledExport = new ExportLocation("metrics-throttled", "", "exp-metrics");
        ExportLocation failingExport = new ExportLocation("metrics-failing", "", "exp-metrics");

        try (FaultProxy slowDown = FaultProxy.builder(LocalInfra.moto().endpoint()).failFirstCopies(2, AwsError.SLOW_DOWN).start();
                FaultProxy internalError = FaultProxy.builder(LocalInfra.moto().endpoint()).failFirstCopies(3, AwsError.INTERNAL_ERROR).start()) {
            copier("lake-metrics-throttled", slowDown.endpoint()).copy(throttledExport, "orders", DAY);
            copier("lake-metrics-failing", internalError.endpoint()).copy(failingExport, "orders", DAY);
        }
        copier("lake-metrics-throttled", LocalInfra.moto().endpoint()).copy(throttledExport, "orders", DAY);

        assertThat(counters()).isEqualTo(Map.of(
                "snaplake.copier.objects.copied", 9.0,
                "snaplake.copier.bytes.copied", (double) (bytes(throttled) + bytes(failing)),
                "snaplake.copier.objects.already.present", 5.0,
                "snaplake.copier.bytes.already.present", (double) bytes(throttled),
                "snaplake.copier.retries[reason=throttled]", 2.0,
                "snaplake.copier.retries[reason=http-500]", 3.0));
        assertThat(registry.get("snaplake.copier.export.duration").timer().count()).isEqualTo(3);
    }

    private static WrittenExport write(String bucket, int files) {
        return writeSmall(MotoCopier.s3(), bucket, "exp-metrics",
                TableSpec.complete("db", "public.t", BatchLayout.NUMBERED_BATCHES, files));
    }

    private ExportCopier copier(String lakeBucket, URI endpoint) {
        return MotoCopier.lake(lakeBucket).through(endpoint).metrics(metrics)
                .retry(new RetryPolicy(8, Duration.ofMillis(5), Duration.ofMillis(50))).build();
    }

    private static long bytes(WrittenExport written) {
        return written.partFiles().stream().mapToLong(WrittenExport.WrittenObject::size).sum();
    }

    /** Every counter, named with its tags if it has any. */
    private Map<String, Double> counters() {
        return registry.getMeters().stream().filter(Counter.class::isInstance).map(Counter.class::cast)
                .collect(Collectors.toMap(counter -> counter.getId().getName() + (counter.getId().getTags().isEmpty() ? ""
                        : counter.getId().getTags().stream().map(tag -> tag.getKey() + "=" + tag.getValue())
                                .collect(Collectors.joining(",", "[", "]"))),
                        Counter::count));
    }
}
