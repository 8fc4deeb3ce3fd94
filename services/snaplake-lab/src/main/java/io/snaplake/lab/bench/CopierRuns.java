package io.snaplake.lab.bench;

import static io.snaplake.lab.bench.BenchBuckets.EXPORTS;

import io.snaplake.parquetcopier.domain.CopyMetrics;
import io.snaplake.parquetcopier.domain.ExportCopier;
import io.snaplake.parquetcopier.domain.ExportCopyReport;
import io.snaplake.parquetcopier.domain.ExportLocation;
import io.snaplake.parquetcopier.domain.LakeLayout;
import io.snaplake.parquetcopier.domain.Retrier;
import io.snaplake.parquetcopier.aws.S3Clients;
import io.snaplake.parquetcopier.aws.S3ObjectStore;
import io.snaplake.pipeline.retry.RetryPolicy;
import io.snaplake.rdsexportwriter.BatchLayout;
import io.snaplake.rdsexportwriter.ExportSpec;
import io.snaplake.rdsexportwriter.ExportWriter;
import io.snaplake.rdsexportwriter.FileContent;
import io.snaplake.rdsexportwriter.TableSpec;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The copy benchmark's in-JVM engine, the parquet-copier's: one copy, several rounds, its scheduling alone
 * against a store that only adds latency, and the unmeasured warm-up that brings the JIT to a steady state.
 */
final class CopierRuns {

    private static final LocalDate DAY = LocalDate.parse("2026-11-20");

    private final CopySettings settings;

    CopierRuns(CopySettings settings) {
        this.settings = settings;
    }

    /**
     * The copier copies the export {@code rounds} times, each into a fresh lake bucket. With more than one round,
     * the result is the median round's time and the median round's CPU (each printed, with the mean CPU per
     * object over all rounds): a round of a few seconds can catch a burst of JIT compilation or a GC cycle that
     * its neighbours do not, and the median keeps such a burst from deciding the figure.
     */
    CopyResult rounds(String server, String scenario, URI endpoint, S3Client s3, String lakeBucket, String exportTaskId, int rounds) {
        if (rounds <= 1) {
            return copy(server, scenario, endpoint, s3, lakeBucket, exportTaskId);
        }
        List<CopyResult> each = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            each.add(copy(server, scenario, endpoint, s3, lakeBucket + "-r" + round, exportTaskId));
        }
        long objectsPerRound = each.get(0).objects();
        Duration medianElapsed = CopyResults.median(each.stream().map(CopyResult::elapsed).toList());
        double medianCpu = CopyResults.median(each.stream().map(CopyResult::cpuSeconds).toList());
        double meanCpuPerThousand = each.stream().mapToDouble(CopyResult::cpuSeconds).sum() * 1000.0
                / each.stream().mapToLong(CopyResult::objects).sum();
        String perRound = each.stream().map(r -> String.format(Locale.ROOT, "%.3f", r.cpuPerThousand()))
                .collect(Collectors.joining(", "));
        return CopyResults.print(new CopyResult(server, scenario, "copier", objectsPerRound, medianElapsed, medianCpu, String.format(Locale.ROOT,
                "median of %d rounds; CPU s/1,000 by round: %s; over all %,d objects: %.3f", rounds, perRound,
                objectsPerRound * rounds, meanCpuPerThousand)));
    }

    /** One copy of the export into {@code lakeBucket}, emptied again once measured. */
    CopyResult copy(String server, String scenario, URI endpoint, S3Client s3, String lakeBucket, String exportTaskId) {
        BenchBuckets.createBucket(s3, lakeBucket);
        ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
        try (S3AsyncClient client = S3Clients.async(Region.US_EAST_1, endpoint, settings.concurrency())) {
            Retrier retrier = new Retrier(new RetryPolicy(8, Duration.ofMillis(100), Duration.ofSeconds(20)),
                    S3ObjectStore::isRetryable, retries, CopyMetrics.NONE);
            ExportCopier copier = new ExportCopier(new S3ObjectStore(client, retrier, 5L << 30, 512L << 20),
                    LakeLayout.of(lakeBucket, "lake"), settings.concurrency(), Duration.ofHours(1), CopyMetrics.NONE, Clock.systemUTC());
            CpuClock cpu = new CpuClock();
            long start = System.nanoTime();
            ExportCopyReport report = copier.copy(new ExportLocation(EXPORTS, "", exportTaskId), "bench", DAY);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            double cpuSeconds = cpu.secondsSinceStart();
            if (!report.complete()) {
                throw new IllegalStateException("the copier did not complete: " + report.failedTables());
            }
            CopyResult result = CopyResults.print(new CopyResult(server, scenario, "copier", report.filesCopied(), elapsed, cpuSeconds,
                    "parquet-copier engine, " + settings.concurrency() + " in flight"));
            BenchBuckets.emptyBucket(s3, lakeBucket);
            return result;
        } finally {
            retries.shutdownNow();
        }
    }

    /**
     * The copier's engine against {@link LatencyOnlyStore}: every request answered after {@code --latency-ms},
     * nearly no CPU spent per request, so the figure is how full the engine keeps its {@code --concurrency}
     * copies in flight (listing, partition checks, verification, ramp and tail included), apart from the
     * CPU the servers and the SDK need, which the machine's load moves. Three runs; the median is kept.
     */
    double schedulingAlone() {
        System.out.printf("== the copier's scheduling alone: an in-memory store answering every request after %d ms%n", settings.latencyMs());
        int tables = 5;
        List<Double> rates = new ArrayList<>();
        try (LatencyOnlyStore store = new LatencyOnlyStore(Duration.ofMillis(settings.latencyMs()))) {
            store.seedExport(EXPORTS, "bench-model", tables, settings.objects() / tables);
            for (int run = 1; run <= 3; run++) {
                ExportCopier copier = new ExportCopier(store, LakeLayout.of("bench-model-" + run, "lake"), settings.concurrency(),
                        Duration.ofHours(1), CopyMetrics.NONE, Clock.systemUTC());
                CpuClock cpu = new CpuClock();
                long start = System.nanoTime();
                ExportCopyReport report = copier.copy(new ExportLocation(EXPORTS, "", "bench-model"), "bench", DAY);
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                if (!report.complete()) {
                    throw new IllegalStateException("the copier did not complete against the in-memory store: " + report.failedTables());
                }
                CopyResult result = CopyResults.print(new CopyResult("model", settings.latencyMs() + " ms", "copier", report.filesCopied(), elapsed,
                        cpu.secondsSinceStart(), "parquet-copier engine, " + settings.concurrency() + " in flight, in-memory store"));
                rates.add(result.objectsPerSecond());
            }
        }
        System.out.println();
        return rates.stream().sorted().toList().get(1);
    }

    /**
     * The in-JVM engines' steady state: the JIT keeps compiling the SDK's request path (hundreds of methods
     * through tiers 3 and 4) for tens of thousands of requests; a figure taken before that is mostly the
     * compiler's CPU, which a service copying for hours pays once. So the copier copies the whole export
     * {@code rounds} times against S3Proxy (fast, so this takes seconds), unmeasured, and its CPU per object
     * is printed each round to show it settle. The AWS CLI has no JIT to warm. The rounds also warm S3Proxy's
     * own JIT (it is a JVM too) before its ceiling is measured.
     */
    void steadyState(URI endpoint, S3Client s3, String exportTaskId, int rounds) {
        System.out.printf("== warm-up: the copier copies the export %d times against S3Proxy, not measured%n", rounds);
        for (int round = 1; round <= rounds; round++) {
            copy("warm-up", "warm-up", endpoint, s3, "bench-warmup-" + round, exportTaskId);
        }
        try (S3Client sync = BenchBuckets.syncClient(endpoint)) {
            // The sequential engine's SDK path (the sync client) warmed too, as the moto-only warm-up does.
            BenchBuckets.createBucket(sync, "bench-warmup");
            BenchBuckets.copyEach(sync, exportTaskId + "/", "bench-warmup");
            BenchBuckets.emptyBucket(sync, "bench-warmup");
        }
        System.out.println();
    }

    /**
     * The in-JVM engines run once, unmeasured, on a small export first: the JIT compiles the SDK's and the
     * copier's hot paths, so the figures are steady-state costs (the AWS CLI has no JIT to warm).
     */
    void warmUp(S3Client s3, URI moto) {
        String warmUpId = "warmup-" + System.currentTimeMillis();
        new ExportWriter(s3, 32).write(ExportSpec.builder(EXPORTS, warmUpId).content(FileContent.SMALL_OBJECTS)
                .table(TableSpec.complete("benchdb", "public.warmup", BatchLayout.NUMBERED_BATCHES, 1000).withFilesPerBatch(250))
                .build());
        copy("warm-up", "warm-up", moto, s3, "bench-warmup", warmUpId);
        try (S3Client sync = BenchBuckets.syncClient(moto)) {
            BenchBuckets.createBucket(sync, "bench-warmup");
            BenchBuckets.copyEach(sync, warmUpId + "/", "bench-warmup");
        }
        System.out.println("(warm-up done: JIT-compiled the in-JVM engines on 1,000 objects, not measured)\n");
    }
}
