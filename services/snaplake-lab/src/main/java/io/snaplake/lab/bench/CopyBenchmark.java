package io.snaplake.lab.bench;

import com.sun.management.OperatingSystemMXBean;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.testkit.S3ProxyServer;
import io.snaplake.parquetcopier.copy.CopyMetrics;
import io.snaplake.parquetcopier.copy.ExportCopier;
import io.snaplake.parquetcopier.copy.ExportCopyReport;
import io.snaplake.parquetcopier.copy.ExportLocation;
import io.snaplake.parquetcopier.copy.LakeLayout;
import io.snaplake.parquetcopier.copy.Retrier;
import io.snaplake.pipeline.retry.RetryPolicy;
import io.snaplake.parquetcopier.s3.S3Clients;
import io.snaplake.parquetcopier.s3.S3ObjectStore;
import io.snaplake.rdsexportwriter.BatchLayout;
import io.snaplake.rdsexportwriter.ExportSpec;
import io.snaplake.rdsexportwriter.ExportWriter;
import io.snaplake.rdsexportwriter.FileContent;
import io.snaplake.rdsexportwriter.TableSpec;
import io.snaplake.rdsexportwriter.WrittenExport;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code snaplake bench copy}: seeds an export in AWS's layout and copies it three ways, against two S3
 * servers, each as it is and behind a proxy adding latency to every request: the parquet-copier's engine
 * (async, bounded concurrency), {@code aws s3 cp --recursive} (AWS CLI, default settings), and a plain
 * sequential CopyObject loop. Prints objects/s and client CPU seconds per 1,000 objects, one table per server.
 *
 * <p>The servers: moto (a Python emulator that serves one request at a time, a few hundred copies/s here,
 * so with latency added every engine runs into its ceiling), and S3Proxy (a Java S3 server with an
 * in-memory store, run as a separate process), whose own ceiling, measured by a trivial CopyObject loop,
 * is printed: against it the copier's figure is the copier's, not the emulator's.
 *
 * <p>CPU: for the in-JVM engines, the process CPU time delta (OperatingSystemMXBean: every thread,
 * including JIT compiler and GC); for the AWS CLI, the user+sys time of the {@code aws} process and its
 * children (bash's {@code times}). The servers' and the latency proxy's CPU is in neither figure: each runs
 * as its own process ({@link LatencyProxyProcess}). The in-JVM engines are measured in steady state, after
 * unmeasured warm-up copies (see {@link #steadyState}); the copier against S3Proxy over several rounds
 * (see {@link #copierRounds}).
 */
@Command(name = "copy", mixinStandardHelpOptions = true,
        description = "Copy an export of >= 5,000 objects with the parquet-copier engine, aws s3 cp, and a sequential loop, against moto and S3Proxy.")
public final class CopyBenchmark implements Callable<Integer> {

    private static final LocalDate DAY = LocalDate.parse("2026-11-20");
    private static final String MOTO = "moto";
    private static final String FAST = "S3Proxy";

    @Option(names = "--objects", defaultValue = "5000", description = "Part files in the seeded export (default ${DEFAULT-VALUE}).")
    int objects;

    @Option(names = "--latency-ms", defaultValue = "100", description = "Latency the proxy adds to every S3 request (default ${DEFAULT-VALUE}).")
    int latencyMs;

    @Option(names = "--concurrency", defaultValue = "128", description = "The copier's copies in flight, as the parquet-copier's default (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--sequential-sample", defaultValue = "500",
            description = "Objects the sequential loop copies behind the latency proxy (its rate is linear; all would take minutes). Default ${DEFAULT-VALUE}.")
    int sequentialSample;

    @Option(names = "--engines", defaultValue = "copier,aws-cli,sequential", split = ",",
            description = "Engines to run (default ${DEFAULT-VALUE}); the last line needs copier and aws-cli.")
    List<String> engines;

    @Option(names = "--servers", defaultValue = "moto,s3proxy", split = ",",
            description = "S3 servers to run against (default ${DEFAULT-VALUE}); the last two lines need both.")
    List<String> servers;

    @Option(names = "--warm-up-rounds", defaultValue = "3",
            description = "Unmeasured copies of the whole export against S3Proxy before any measurement (default ${DEFAULT-VALUE}).")
    int warmUpRounds;

    @Option(names = "--measured-rounds", defaultValue = "5",
            description = "Times the copier copies the whole export against S3Proxy (as it is, and behind the latency proxy);"
                    + " its figures are the rounds' medians, so one round's JIT or GC burst does not decide them (default ${DEFAULT-VALUE}).")
    int measuredRounds;

    @Option(names = "--aws", defaultValue = "aws", description = "The AWS CLI command (default ${DEFAULT-VALUE}).")
    String awsCli;

    private final List<Result> results = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        String delayed = latencyMs + " ms";
        boolean fast = servers.contains("s3proxy");
        if (fast && System.getenv("AWS_ACCESS_KEY_ID") == null && System.getProperty("aws.accessKeyId") == null) {
            // S3Proxy runs without authorization, but the SDK's default chain must find some credentials to sign with.
            System.setProperty("aws.accessKeyId", "test");
            System.setProperty("aws.secretAccessKey", "test");
        }
        Ceiling fastCeiling = null;
        Ceiling throughProxy = null;
        try (S3ProxyServer server = fast ? S3ProxyServer.start() : null;
             S3Client fastS3 = fast ? syncClient(server.endpoint()) : null) {
            String fastExport = "bench-" + System.currentTimeMillis();
            WrittenExport fastWritten = fast ? seed(fastS3, server.endpoint(), fastExport) : null;
            if (fast) {
                steadyState(server.endpoint(), fastS3, fastExport);
            }
            if (servers.contains("moto")) {
                URI moto = LocalInfra.moto().endpoint();
                try (S3Client s3 = syncClient(moto)) {
                    String exportTaskId = "bench-" + System.currentTimeMillis();
                    WrittenExport written = seed(s3, moto, exportTaskId);
                    if (!fast) {
                        warmUp(s3, moto);
                    }
                    runAll(MOTO, "moto", moto, s3, written, exportTaskId, sequentialSample);
                    try (LatencyProxyProcess proxy = LatencyProxyProcess.start(moto, Duration.ofMillis(latencyMs))) {
                        runAll(MOTO, delayed, proxy.endpoint(), s3, written, exportTaskId, sequentialSample);
                    }
                }
            }
            if (fast) {
                fastCeiling = ceiling(server.endpoint(), fastS3, "S3Proxy");
                runAll(FAST, "S3Proxy", server.endpoint(), fastS3, fastWritten, fastExport, sequentialSample);
                try (LatencyProxyProcess proxy = LatencyProxyProcess.start(server.endpoint(), Duration.ofMillis(latencyMs))) {
                    throughProxy = ceiling(proxy.endpoint(), fastS3, "S3Proxy + " + delayed);
                    // The sequential loop behind the latency proxy is bound by the latency whatever the server
                    // (about 1,000 / latency-ms objects/s): measured against moto above, not again here.
                    runAll(FAST, delayed, proxy.endpoint(), fastS3, fastWritten, fastExport, 0);
                }
            }
        }
        double scheduling = engines.contains("copier") ? schedulingAlone() : 0;
        boolean moto = servers.contains("moto");
        if (moto) {
            System.out.println("moto (a Python emulator: one request at a time)");
            printTable(MOTO);
        }
        if (fast) {
            System.out.println("S3Proxy (S3-compatible server in Java, in-memory store, many threads)");
            printTable(FAST);
        }
        if (!engines.containsAll(List.of("copier", "aws-cli"))) {
            return 0;
        }
        // Each server's figures print on their own, so `--servers s3proxy` (a few minutes, no moto) still gives
        // the fast-S3 ratios; the moto line comes first and the fast-S3 line last when both run.
        if (moto) {
            double motoCli = rate(MOTO, "aws-cli", delayed);
            // moto serves one request at a time (Python's GIL): its ceiling caps every engine's rate.
            double motoCeiling = results.stream().filter(r -> r.endpoint.equals(MOTO) && r.scenario.equals("moto"))
                    .mapToDouble(Result::objectsPerSecond).max().orElse(0);
            System.out.printf(Locale.ROOT, "moto's ceiling here: %.0f copies/s (the fastest engine against plain moto); 4 x aws-cli (%d ms) would need %.0f/s%n",
                    motoCeiling, latencyMs, 4 * motoCli);
        }
        if (fast) {
            printFastFigures(delayed, scheduling, fastCeiling, throughProxy);
        }
        if (moto) {
            Result motoCopier = result(MOTO, "copier", delayed);
            Result motoCli = result(MOTO, "aws-cli", delayed);
            System.out.printf(Locale.ROOT, "client CPU per object (%d ms) against moto: copier %.2f ms, aws-cli %.2f ms%n",
                    latencyMs, motoCopier.cpuPerThousand(), motoCli.cpuPerThousand());
            System.out.printf(Locale.ROOT, "copy vs aws-cli (%d ms): %.1fx%n", latencyMs,
                    motoCopier.objectsPerSecond() / motoCli.objectsPerSecond());
        }
        if (fast) {
            System.out.printf(Locale.ROOT, "copy vs aws-cli (%d ms, fast S3): %.1fx%n", latencyMs,
                    rate(FAST, "copier", delayed) / rate(FAST, "aws-cli", delayed));
        }
        return 0;
    }

    /** The copier against S3Proxy with the added latency: its bound, the bare loop, its scheduling alone, its CPU. */
    private void printFastFigures(String delayed, double scheduling, Ceiling fastCeiling, Ceiling throughProxy) {
        double concurrencyAllows = concurrency * 1000.0 / latencyMs;
        double bound = Math.min(concurrencyAllows, fastCeiling.perSecond());
        double fastCopier = rate(FAST, "copier", delayed);
        System.out.printf(Locale.ROOT, "S3Proxy's ceiling here: %.0f copies/s (%s); through the %d ms proxy: %.0f copies/s (%s)%n",
                fastCeiling.perSecond(), fastCeiling.note(), latencyMs, throughProxy.perSecond(), throughProxy.note());
        System.out.printf(Locale.ROOT, "copier vs its bound (%d ms, S3Proxy): %.0f/s = %.2f of %.0f/s (the lower of %d in flight / %d ms = %.0f/s and S3Proxy's ceiling)%n",
                latencyMs, fastCopier, fastCopier / bound, bound, concurrency, latencyMs, concurrencyAllows);
        // The CopyObject loop through the same proxy is what this machine's client, proxy and server reach together
        // at this concurrency with nothing else per request: the copier's gap to it is the copier's own.
        System.out.printf(Locale.ROOT, "copier vs the CopyObject loop through the same proxy (%d ms, S3Proxy): %.0f/s = %.2f of %.0f/s%n",
                latencyMs, fastCopier, fastCopier / throughProxy.perSecond(), throughProxy.perSecond());
        System.out.printf(Locale.ROOT, "copier's scheduling alone (%d ms, in-memory store, no HTTP): %.0f/s = %.2f of %.0f/s%n",
                latencyMs, scheduling, scheduling / concurrencyAllows, concurrencyAllows);
        System.out.printf(Locale.ROOT, "client CPU per object (%d ms) against S3Proxy: copier %.2f ms, aws-cli %.2f ms%n",
                latencyMs, result(FAST, "copier", delayed).cpuPerThousand(), result(FAST, "aws-cli", delayed).cpuPerThousand());
    }

    /**
     * The copier's engine against {@link LatencyOnlyStore}: every request answered after {@code --latency-ms},
     * nearly no CPU spent per request, so the figure is how full the engine keeps its {@code --concurrency}
     * copies in flight (listing, partition checks, verification, ramp and tail included), apart from the
     * CPU the servers and the SDK need, which the machine's load moves. Three runs; the median is kept.
     */
    private double schedulingAlone() {
        System.out.printf("== the copier's scheduling alone: an in-memory store answering every request after %d ms%n", latencyMs);
        int tables = 5;
        List<Double> rates = new ArrayList<>();
        try (LatencyOnlyStore store = new LatencyOnlyStore(Duration.ofMillis(latencyMs))) {
            store.seedExport("bench-exports", "bench-model", tables, objects / tables);
            for (int run = 1; run <= 3; run++) {
                ExportCopier copier = new ExportCopier(store, LakeLayout.of("bench-model-" + run, "lake"), concurrency,
                        Duration.ofHours(1), CopyMetrics.NONE, Clock.systemUTC());
                CpuClock cpu = new CpuClock();
                long start = System.nanoTime();
                ExportCopyReport report = copier.copy(new ExportLocation("bench-exports", "", "bench-model"), "bench", DAY);
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                if (!report.complete()) {
                    throw new IllegalStateException("the copier did not complete against the in-memory store: " + report.failedTables());
                }
                Result result = record(new Result("model", latencyMs + " ms", "copier", report.filesCopied(), elapsed,
                        cpu.secondsSinceStart(), "parquet-copier engine, " + concurrency + " in flight, in-memory store"));
                rates.add(result.objectsPerSecond());
            }
        }
        System.out.println();
        return rates.stream().sorted().toList().get(1);
    }

    private WrittenExport seed(S3Client s3, URI endpoint, String exportTaskId) {
        System.out.printf("seeding %s with an export of %,d part files...%n", endpoint, objects);
        WrittenExport written = new ExportWriter(s3, 32).write(seedSpec(exportTaskId));
        System.out.printf("seeded %,d objects (%,d part files) under s3://bench-exports/%s%n%n",
                written.objects().size(), written.partFiles().size(), written.root());
        return written;
    }

    /**
     * The endpoint's own ceiling for copies: a trivial loop of CopyObject requests (one small object to
     * {@code --objects} distinct keys, {@code --concurrency} in flight, nothing else per request) with the
     * copier's S3 client. On this machine the client shares the CPU with the server, so this is the
     * ceiling of the pair, which no engine here can beat.
     */
    private Ceiling ceiling(URI endpoint, S3Client s3, String label) throws InterruptedException {
        String bucket = "bench-ceiling-" + label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        createBucket(s3, bucket);
        s3.putObject(put -> put.bucket(bucket).key("source.gz.parquet"), RequestBody.fromString("x"));
        Semaphore slots = new Semaphore(concurrency);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (S3AsyncClient client = S3Clients.async(Region.US_EAST_1, endpoint, concurrency)) {
            CpuClock cpu = new CpuClock();
            long start = System.nanoTime();
            for (int i = 0; i < objects; i++) {
                slots.acquire();
                String key = "copy-" + i + ".gz.parquet";
                client.copyObject(copy -> copy.sourceBucket(bucket).sourceKey("source.gz.parquet")
                        .destinationBucket(bucket).destinationKey(key)).whenComplete((response, error) -> {
                            if (error != null) {
                                failure.compareAndSet(null, error);
                            }
                            slots.release();
                        });
            }
            slots.acquire(concurrency);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            if (failure.get() != null) {
                throw new IllegalStateException("the CopyObject loop against " + label + " failed", failure.get());
            }
            Result loop = new Result(label, label, "CopyObject loop", objects, elapsed, cpu.secondsSinceStart(),
                    concurrency + " in flight, nothing else per request");
            System.out.printf("== ceiling of %s (%s)%n", label, endpoint);
            record(loop);
            System.out.println();
            emptyBucket(s3, bucket);
            return new Ceiling(loop.objectsPerSecond(), String.format(Locale.ROOT,
                    "CopyObject loop, %d in flight, %.3f client CPU s/1,000", concurrency, loop.cpuPerThousand()));
        }
    }

    private record Ceiling(double perSecond, String note) {
    }

    /**
     * The in-JVM engines' steady state: the JIT keeps compiling the SDK's request path (hundreds of methods
     * through tiers 3 and 4) for tens of thousands of requests; a figure taken before that is mostly the
     * compiler's CPU, which a service copying for hours pays once. So the copier copies the whole export
     * {@code --warm-up-rounds} times against S3Proxy (fast, so this takes seconds), unmeasured, and its CPU
     * per object is printed each round to show it settle. The AWS CLI has no JIT to warm. The rounds also
     * warm S3Proxy's own JIT (it is a JVM too) before its ceiling is measured.
     */
    private void steadyState(URI endpoint, S3Client s3, String exportTaskId) {
        System.out.printf("== warm-up: the copier copies the export %d times against S3Proxy, not measured%n", warmUpRounds);
        for (int round = 1; round <= warmUpRounds; round++) {
            copier("warm-up", "warm-up", endpoint, s3, "bench-warmup-" + round, exportTaskId);
        }
        try (S3Client sync = syncClient(endpoint)) {
            // The sequential engine's SDK path (the sync client) warmed too, as the moto-only warm-up does.
            createBucket(sync, "bench-warmup");
            sync.listObjectsV2Paginator(list -> list.bucket("bench-exports").prefix(exportTaskId + "/")).contents()
                    .forEach(object -> sync.copyObject(copy -> copy.sourceBucket("bench-exports").sourceKey(object.key())
                            .destinationBucket("bench-warmup").destinationKey(object.key())));
            emptyBucket(sync, "bench-warmup");
        }
        System.out.println();
    }

    /**
     * The in-JVM engines run once, unmeasured, on a small export first: the JIT compiles the SDK's and the
     * copier's hot paths, so the figures are steady-state costs (the AWS CLI has no JIT to warm).
     */
    private void warmUp(S3Client s3, URI moto) {
        String warmUpId = "warmup-" + System.currentTimeMillis();
        new ExportWriter(s3, 32).write(ExportSpec.builder("bench-exports", warmUpId).content(FileContent.SMALL_OBJECTS)
                .table(TableSpec.complete("benchdb", "public.warmup", BatchLayout.NUMBERED_BATCHES, 1000).withFilesPerBatch(250))
                .build());
        copier("warm-up", "warm-up", moto, s3, "bench-warmup", warmUpId);
        try (S3Client sync = syncClient(moto)) {
            createBucket(sync, "bench-warmup");
            sync.listObjectsV2Paginator(list -> list.bucket("bench-exports").prefix(warmUpId + "/")).contents()
                    .forEach(object -> sync.copyObject(copy -> copy.sourceBucket("bench-exports").sourceKey(object.key())
                            .destinationBucket("bench-warmup").destinationKey(object.key())));
        }
        System.out.println("(warm-up done: JIT-compiled the in-JVM engines on 1,000 objects, not measured)\n");
    }

    private ExportSpec seedSpec(String exportTaskId) {
        int tables = 5;
        ExportSpec.Builder spec = ExportSpec.builder("bench-exports", exportTaskId).content(FileContent.SMALL_OBJECTS);
        BatchLayout[] layouts = {BatchLayout.NUMBERED_BATCHES, BatchLayout.ALPHANUMERIC_BATCHES, BatchLayout.FLAT};
        for (int t = 0; t < tables; t++) {
            int files = objects / tables + (t < objects % tables ? 1 : 0);
            spec.table(TableSpec.complete("benchdb", "public.table_" + t, layouts[t % layouts.length], files).withFilesPerBatch(250));
        }
        return spec.build();
    }

    /** {@code sequentialLimit}: objects the sequential loop copies; 0 leaves it out. */
    private void runAll(String server, String scenario, URI endpoint, S3Client s3, WrittenExport written, String exportTaskId,
            int sequentialLimit) throws Exception {
        String tag = scenario.replaceAll("[^a-z0-9]", "");
        System.out.printf("== %s: against %s (%s)%n", server, scenario, endpoint);
        if (engines.contains("copier")) {
            int rounds = server.equals(FAST) ? measuredRounds : 1;
            results.add(copierRounds(server, scenario, endpoint, s3, "bench-" + tag + "-copier", exportTaskId, rounds));
        }
        if (engines.contains("aws-cli")) {
            results.add(awsCli(server, scenario, endpoint, s3, written, "bench-" + tag + "-cli"));
        }
        if (engines.contains("sequential") && sequentialLimit > 0) {
            int limit = scenario.equals(server) ? Integer.MAX_VALUE : sequentialLimit;
            results.add(sequential(server, scenario, endpoint, s3, written, "bench-" + tag + "-seq", limit));
        }
        System.out.println();
    }

    /**
     * The copier copies the export {@code rounds} times, each into a fresh lake bucket. With more than one round,
     * the result is the median round's time and the median round's CPU (each printed, with the mean CPU per
     * object over all rounds): a 5-second round can catch a burst of JIT compilation or a GC cycle that its
     * neighbours do not, and the median keeps such a burst from deciding the figure.
     */
    private Result copierRounds(String server, String scenario, URI endpoint, S3Client s3, String lakeBucket, String exportTaskId,
            int rounds) {
        if (rounds <= 1) {
            return copier(server, scenario, endpoint, s3, lakeBucket, exportTaskId);
        }
        List<Result> each = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            each.add(copier(server, scenario, endpoint, s3, lakeBucket + "-r" + round, exportTaskId));
        }
        long objectsPerRound = each.get(0).objects();
        Duration medianElapsed = median(each.stream().map(Result::elapsed).toList());
        double medianCpu = median(each.stream().map(Result::cpuSeconds).toList());
        double meanCpuPerThousand = each.stream().mapToDouble(Result::cpuSeconds).sum() * 1000.0
                / each.stream().mapToLong(Result::objects).sum();
        String perRound = each.stream().map(r -> String.format(Locale.ROOT, "%.3f", r.cpuPerThousand()))
                .collect(Collectors.joining(", "));
        return record(new Result(server, scenario, "copier", objectsPerRound, medianElapsed, medianCpu, String.format(Locale.ROOT,
                "median of %d rounds; CPU s/1,000 by round: %s; over all %,d objects: %.3f", rounds, perRound,
                objectsPerRound * rounds, meanCpuPerThousand)));
    }

    private static <T extends Comparable<T>> T median(List<T> values) {
        List<T> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private Result copier(String server, String scenario, URI endpoint, S3Client s3, String lakeBucket, String exportTaskId) {
        createBucket(s3, lakeBucket);
        ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
        try (S3AsyncClient client = S3Clients.async(Region.US_EAST_1, endpoint, concurrency)) {
            Retrier retrier = new Retrier(new RetryPolicy(8, Duration.ofMillis(100), Duration.ofSeconds(20)),
                    S3ObjectStore::isRetryable, retries, CopyMetrics.NONE);
            ExportCopier copier = new ExportCopier(new S3ObjectStore(client, retrier, 5L << 30, 512L << 20),
                    LakeLayout.of(lakeBucket, "lake"), concurrency, Duration.ofHours(1), CopyMetrics.NONE, Clock.systemUTC());
            CpuClock cpu = new CpuClock();
            long start = System.nanoTime();
            ExportCopyReport report = copier.copy(new ExportLocation("bench-exports", "", exportTaskId), "bench", DAY);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            double cpuSeconds = cpu.secondsSinceStart();
            if (!report.complete()) {
                throw new IllegalStateException("the copier did not complete: " + report.failedTables());
            }
            Result result = record(new Result(server, scenario, "copier", report.filesCopied(), elapsed, cpuSeconds,
                    "parquet-copier engine, " + concurrency + " in flight"));
            emptyBucket(s3, lakeBucket);
            return result;
        } finally {
            retries.shutdownNow();
        }
    }

    private Result awsCli(String server, String scenario, URI endpoint, S3Client s3, WrittenExport written, String bucket)
            throws IOException, InterruptedException {
        createBucket(s3, bucket);
        ProcessBuilder process = new ProcessBuilder("bash", "-c", "\"$@\" > /dev/null; rc=$?; times >&2; exit $rc", "bash",
                awsCli, "s3", "cp", "--recursive", "--only-show-errors", "--endpoint-url", endpoint.toString(),
                "s3://bench-exports/" + written.root(), "s3://" + bucket + "/");
        process.environment().putIfAbsent("AWS_ACCESS_KEY_ID", "test");
        process.environment().putIfAbsent("AWS_SECRET_ACCESS_KEY", "test");
        process.environment().put("AWS_DEFAULT_REGION", "us-east-1");
        long start = System.nanoTime();
        Process cli = process.start();
        String stderr = new String(cli.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = cli.waitFor();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        if (exit != 0) {
            throw new IllegalStateException("aws s3 cp failed (exit " + exit + "): " + stderr);
        }
        long copied = count(s3, bucket);
        if (copied != written.objects().size()) {
            throw new IllegalStateException("aws s3 cp copied " + copied + " of " + written.objects().size() + " objects");
        }
        return record(new Result(server, scenario, "aws-cli", copied, elapsed, childrenCpuSeconds(stderr),
                "aws s3 cp --recursive, default settings"));
    }

    private Result sequential(String server, String scenario, URI endpoint, S3Client seedClient, WrittenExport written, String bucket, int limit) {
        createBucket(seedClient, bucket);
        try (S3Client s3 = syncClient(endpoint)) {
            CpuClock cpu = new CpuClock();
            long start = System.nanoTime();
            long copied = 0;
            outer:
            for (var page : s3.listObjectsV2Paginator(list -> list.bucket("bench-exports").prefix(written.root()))) {
                for (S3Object object : page.contents()) {
                    if (copied >= limit) {
                        break outer;
                    }
                    s3.copyObject(copy -> copy.sourceBucket("bench-exports").sourceKey(object.key())
                            .destinationBucket(bucket).destinationKey(object.key()));
                    copied++;
                }
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            String note = copied < written.objects().size()
                    ? "sequential CopyObject loop, first " + copied + " of " + written.objects().size() + " objects"
                    : "sequential CopyObject loop";
            return record(new Result(server, scenario, "sequential", copied, elapsed, cpu.secondsSinceStart(), note));
        }
    }

    private static Result record(Result result) {
        System.out.printf(Locale.ROOT, "  %-10s %,7d objects in %6.1f s  %7.1f objects/s  %6.3f CPU s/1,000 objects  (%s)%n",
                result.engine, result.objects, result.seconds(), result.objectsPerSecond(), result.cpuPerThousand(), result.note);
        return result;
    }

    private void printTable(String server) {
        System.out.println("| S3 endpoint | engine | objects | seconds | objects/s | client CPU s / 1,000 objects |");
        System.out.println("|---|---|---|---|---|---|");
        for (Result result : results.stream().filter(r -> r.endpoint.equals(server)).toList()) {
            System.out.printf(Locale.ROOT, "| %s | %s | %,d | %.1f | %.1f | %.3f |%n", result.scenario, result.engine,
                    result.objects, result.seconds(), result.objectsPerSecond(), result.cpuPerThousand());
        }
        System.out.println();
    }

    private double rate(String server, String engine, String scenario) {
        return result(server, engine, scenario).objectsPerSecond();
    }

    private Result result(String server, String engine, String scenario) {
        return results.stream().filter(r -> r.endpoint.equals(server) && r.engine.equals(engine) && r.scenario.equals(scenario))
                .findFirst().orElseThrow();
    }

    private static long count(S3Client s3, String bucket) {
        return s3.listObjectsV2Paginator(list -> list.bucket(bucket)).contents().stream().count();
    }

    private static void createBucket(S3Client s3, String bucket) {
        if (s3.listBuckets().buckets().stream().anyMatch(existing -> existing.name().equals(bucket))) {
            emptyBucket(s3, bucket);
        } else {
            s3.createBucket(create -> create.bucket(bucket));
        }
    }

    /**
     * Deletes every object of {@code bucket}, 1,000 keys per DeleteObjects request, unmeasured. A copier round's
     * copies are deleted once it is measured: S3Proxy keeps every object in its heap, and the warm-up and
     * measured rounds (tens of thousands of copies) would otherwise fill it, and its garbage collector would
     * slow the server and take the cores from the rounds that follow.
     */
    private static void emptyBucket(S3Client s3, String bucket) {
        List<ObjectIdentifier> keys = s3.listObjectsV2Paginator(list -> list.bucket(bucket)).contents().stream()
                .map(object -> ObjectIdentifier.builder().key(object.key()).build()).toList();
        for (int from = 0; from < keys.size(); from += 1_000) {
            List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + 1_000));
            DeleteObjectsResponse deleted = s3.deleteObjects(delete -> delete.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
            if (!deleted.errors().isEmpty()) {
                throw new IllegalStateException("could not empty " + bucket + ": " + deleted.errors().get(0));
            }
        }
    }

    private static S3Client syncClient(URI endpoint) {
        return S3Client.builder().region(Region.US_EAST_1).endpointOverride(endpoint).forcePathStyle(true).build();
    }

    /** bash's {@code times}: the second line is the children's user and system time, e.g. {@code 0m1.234s 0m0.100s}. */
    static double childrenCpuSeconds(String timesOutput) {
        Matcher time = Pattern.compile("(\\d+)m([\\d.]+)s").matcher(timesOutput);
        List<Double> seconds = new ArrayList<>();
        while (time.find()) {
            seconds.add(Long.parseLong(time.group(1)) * 60 + Double.parseDouble(time.group(2)));
        }
        if (seconds.size() < 4) {
            throw new IllegalStateException("could not read the AWS CLI's CPU time from: " + timesOutput);
        }
        return seconds.get(2) + seconds.get(3);
    }

    /**
     * This process's CPU (user + system, every thread: the engine's, the SDK's I/O threads, JIT and GC) since
     * construction. Nothing else runs in this JVM while an engine is measured: the servers and the latency
     * proxy are processes of their own.
     */
    private static final class CpuClock {
        private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        private final long processStart = os.getProcessCpuTime();

        double secondsSinceStart() {
            return (os.getProcessCpuTime() - processStart) / 1e9;
        }
    }

    /** {@code endpoint}: the S3 server ({@link #MOTO}, {@link #FAST}); {@code scenario}: as it is, or behind the latency proxy. */
    private record Result(String endpoint, String scenario, String engine, long objects, Duration elapsed, double cpuSeconds, String note) {
        double seconds() {
            return elapsed.toNanos() / 1e9;
        }

        double objectsPerSecond() {
            return objects / seconds();
        }

        double cpuPerThousand() {
            return cpuSeconds * 1000.0 / objects;
        }
    }
}
