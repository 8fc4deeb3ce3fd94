package io.snaplake.lab.bench;

import io.snaplake.lab.bench.BaselineRuns.Ceiling;
import io.snaplake.rdsexportwriter.BatchLayout;
import io.snaplake.rdsexportwriter.ExportSpec;
import io.snaplake.rdsexportwriter.ExportWriter;
import io.snaplake.rdsexportwriter.FileContent;
import io.snaplake.rdsexportwriter.TableSpec;
import io.snaplake.rdsexportwriter.WrittenExport;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.testkit.S3ProxyServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code snaplake bench copy}: seeds an export in AWS's layout and copies it three ways, against two S3
 * servers, each as it is and behind a proxy adding latency to every request: the parquet-copier's engine
 * ({@link CopierRuns}: async, bounded concurrency), {@code aws s3 cp --recursive} and a plain sequential
 * CopyObject loop ({@link BaselineRuns}). Prints objects/s and client CPU seconds per 1,000 objects, one table
 * per server, then the ratios.
 *
 * <p>The servers: moto (a Python emulator that serves one request at a time, so with latency added every
 * engine runs into its ceiling), and S3Proxy (a Java S3 server with an in-memory store, run as a separate
 * process), whose own ceiling, measured by a trivial CopyObject loop, is printed: against it the copier's
 * figure is the copier's, not the emulator's.
 *
 * <p>CPU: for the in-JVM engines, the process CPU time delta ({@link CpuClock}); for the AWS CLI, the user+sys
 * time of the {@code aws} process and its children (bash's {@code times}). The servers' and the latency
 * proxy's CPU is in neither figure: each runs as its own process ({@link LatencyProxyProcess}). The in-JVM
 * engines are measured in steady state, after unmeasured warm-up copies; the copier against S3Proxy over
 * several rounds. How to run it and what it printed: docs/benchmarks.md.
 */
@Command(name = "copy", mixinStandardHelpOptions = true,
        description = "Copy an export of >= 5,000 objects with the parquet-copier engine, aws s3 cp, and a sequential loop, against moto and S3Proxy.")
public final class CopyBenchmark implements Callable<Integer> {

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

    private final CopyResults results = new CopyResults();
    private CopierRuns copier;
    private BaselineRuns baselines;

    @Override
    public Integer call() throws Exception {
        CopySettings settings = new CopySettings(objects, latencyMs, concurrency, awsCli);
        copier = new CopierRuns(settings);
        baselines = new BaselineRuns(settings);
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
             S3Client fastS3 = fast ? BenchBuckets.syncClient(server.endpoint()) : null) {
            String fastExport = "bench-" + System.currentTimeMillis();
            WrittenExport fastWritten = fast ? seed(fastS3, server.endpoint(), fastExport) : null;
            if (fast) {
                copier.steadyState(server.endpoint(), fastS3, fastExport, warmUpRounds);
            }
            if (servers.contains("moto")) {
                URI moto = LocalInfra.moto().endpoint();
                try (S3Client s3 = BenchBuckets.syncClient(moto)) {
                    String exportTaskId = "bench-" + System.currentTimeMillis();
                    WrittenExport written = seed(s3, moto, exportTaskId);
                    if (!fast) {
                        copier.warmUp(s3, moto);
                    }
                    runAll(MOTO, "moto", moto, s3, written, exportTaskId, sequentialSample);
                    try (LatencyProxyProcess proxy = LatencyProxyProcess.start(moto, Duration.ofMillis(latencyMs))) {
                        runAll(MOTO, delayed, proxy.endpoint(), s3, written, exportTaskId, sequentialSample);
                    }
                }
            }
            if (fast) {
                fastCeiling = baselines.ceiling(server.endpoint(), fastS3, "S3Proxy");
                runAll(FAST, "S3Proxy", server.endpoint(), fastS3, fastWritten, fastExport, sequentialSample);
                try (LatencyProxyProcess proxy = LatencyProxyProcess.start(server.endpoint(), Duration.ofMillis(latencyMs))) {
                    throughProxy = baselines.ceiling(proxy.endpoint(), fastS3, "S3Proxy + " + delayed);
                    // The sequential loop behind the latency proxy is bound by the latency whatever the server
                    // (1,000 / latency-ms objects/s at best): measured against moto above, not again here.
                    runAll(FAST, delayed, proxy.endpoint(), fastS3, fastWritten, fastExport, 0);
                }
            }
        }
        double scheduling = engines.contains("copier") ? copier.schedulingAlone() : 0;
        printFigures(delayed, scheduling, fastCeiling, throughProxy);
        return 0;
    }

    /** The tables, one per server, then the ratios (those need both the copier and the AWS CLI). */
    private void printFigures(String delayed, double scheduling, Ceiling fastCeiling, Ceiling throughProxy) {
        boolean moto = servers.contains("moto");
        boolean fast = servers.contains("s3proxy");
        if (moto) {
            System.out.println("moto (a Python emulator: one request at a time)");
            results.printTable(MOTO);
        }
        if (fast) {
            System.out.println("S3Proxy (S3-compatible server in Java, in-memory store, many threads)");
            results.printTable(FAST);
        }
        if (!engines.containsAll(List.of("copier", "aws-cli"))) {
            return;
        }
        // Each server's figures print on their own, so `--servers s3proxy` (no moto) still gives the fast-S3
        // ratios; the moto line comes first and the fast-S3 line last when both run.
        if (moto) {
            // moto serves one request at a time (Python's GIL): its ceiling caps every engine's rate.
            System.out.printf(Locale.ROOT, "moto's ceiling here: %.0f copies/s (the fastest engine against plain moto); 4 x aws-cli (%d ms) would need %.0f/s%n",
                    results.fastest(MOTO, "moto"), latencyMs, 4 * results.rate(MOTO, "aws-cli", delayed));
        }
        if (fast) {
            printFastFigures(delayed, scheduling, fastCeiling, throughProxy);
        }
        if (moto) {
            CopyResult motoCopier = results.result(MOTO, "copier", delayed);
            CopyResult motoCli = results.result(MOTO, "aws-cli", delayed);
            System.out.printf(Locale.ROOT, "client CPU per object (%d ms) against moto: copier %.2f ms, aws-cli %.2f ms%n",
                    latencyMs, motoCopier.cpuPerThousand(), motoCli.cpuPerThousand());
            System.out.printf(Locale.ROOT, "copy vs aws-cli (%d ms): %.1fx%n", latencyMs,
                    motoCopier.objectsPerSecond() / motoCli.objectsPerSecond());
        }
        if (fast) {
            System.out.printf(Locale.ROOT, "copy vs aws-cli (%d ms, fast S3): %.1fx%n", latencyMs,
                    results.rate(FAST, "copier", delayed) / results.rate(FAST, "aws-cli", delayed));
        }
    }

    /** The copier against S3Proxy with the added latency: its bound, the bare loop, its scheduling alone, its CPU. */
    private void printFastFigures(String delayed, double scheduling, Ceiling fastCeiling, Ceiling throughProxy) {
        double concurrencyAllows = concurrency * 1000.0 / latencyMs;
        double bound = Math.min(concurrencyAllows, fastCeiling.perSecond());
        double fastCopier = results.rate(FAST, "copier", delayed);
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
                latencyMs, results.result(FAST, "copier", delayed).cpuPerThousand(), results.result(FAST, "aws-cli", delayed).cpuPerThousand());
    }

    private WrittenExport seed(S3Client s3, URI endpoint, String exportTaskId) {
        System.out.printf("seeding %s with an export of %,d part files...%n", endpoint, objects);
        WrittenExport written = new ExportWriter(s3, 32).write(seedSpec(exportTaskId));
        System.out.printf("seeded %,d objects (%,d part files) under s3://%s/%s%n%n",
                written.objects().size(), written.partFiles().size(), BenchBuckets.EXPORTS, written.root());
        return written;
    }

    private ExportSpec seedSpec(String exportTaskId) {
        int tables = 5;
        ExportSpec.Builder spec = ExportSpec.builder(BenchBuckets.EXPORTS, exportTaskId).content(FileContent.SMALL_OBJECTS);
        BatchLayout[] layouts = {BatchLayout.NUMBERED_BATCHES, BatchLayout.ALPHANUMERIC_BATCHES, BatchLayout.FLAT};
        for (int t = 0; t < tables; t++) {
            int files = objects / tables + (t < objects % tables ? 1 : 0);
            spec.table(TableSpec.complete("benchdb", "public.table_" + t, layouts[t % layouts.length], files).withFilesPerBatch(250));
        }
        return spec.build();
    }

    /** Every chosen engine against one endpoint; {@code sequentialLimit}: objects the sequential loop copies, 0 leaves it out. */
    private void runAll(String server, String scenario, URI endpoint, S3Client s3, WrittenExport written, String exportTaskId,
            int sequentialLimit) {
        String tag = scenario.replaceAll("[^a-z0-9]", "");
        System.out.printf("== %s: against %s (%s)%n", server, scenario, endpoint);
        if (engines.contains("copier")) {
            int rounds = server.equals(FAST) ? measuredRounds : 1;
            results.add(copier.rounds(server, scenario, endpoint, s3, "bench-" + tag + "-copier", exportTaskId, rounds));
        }
        if (engines.contains("aws-cli")) {
            results.add(baselines.awsCli(server, scenario, endpoint, s3, written, "bench-" + tag + "-cli"));
        }
        if (engines.contains("sequential") && sequentialLimit > 0) {
            int limit = scenario.equals(server) ? Integer.MAX_VALUE : sequentialLimit;
            results.add(baselines.sequential(server, scenario, endpoint, s3, written, "bench-" + tag + "-seq", limit));
        }
        System.out.println();
    }
}
