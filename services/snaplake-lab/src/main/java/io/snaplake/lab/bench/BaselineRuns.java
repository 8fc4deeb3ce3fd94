package io.snaplake.lab.bench;

import static io.snaplake.lab.bench.BenchBuckets.EXPORTS;

import io.snaplake.parquetcopier.aws.S3Clients;
import io.snaplake.rdsexportwriter.WrittenExport;
import io.snaplake.testkit.ChildProcess;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What the copy benchmark measures the copier against: {@code aws s3 cp --recursive} (the AWS CLI, default
 * settings), a plain sequential CopyObject loop, and each endpoint's own ceiling (a trivial CopyObject loop).
 */
final class BaselineRuns {

    private static final Duration AWS_CLI_TIMEOUT = Duration.ofHours(1);
    private static final Pattern TIME = Pattern.compile("(\\d+)m([\\d.]+)s");

    private final CopySettings settings;

    BaselineRuns(CopySettings settings) {
        this.settings = settings;
    }

    /** An endpoint's ceiling for copies, and how it was measured. */
    record Ceiling(double perSecond, String note) {
    }

    /**
     * The endpoint's own ceiling for copies: a trivial loop of CopyObject requests (one small object to
     * {@code --objects} distinct keys, {@code --concurrency} in flight, nothing else per request) with the
     * copier's S3 client. On this machine the client shares the CPU with the server, so this is the
     * ceiling of the pair, which no engine here can beat.
     */
    Ceiling ceiling(URI endpoint, S3Client s3, String label) throws InterruptedException {
        String bucket = "bench-ceiling-" + label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        BenchBuckets.createBucket(s3, bucket);
        s3.putObject(put -> put.bucket(bucket).key("source.gz.parquet"), RequestBody.fromString("x"));
        Semaphore slots = new Semaphore(settings.concurrency());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (S3AsyncClient client = S3Clients.async(Region.US_EAST_1, endpoint, settings.concurrency())) {
            CpuClock cpu = new CpuClock();
            long start = System.nanoTime();
            for (int i = 0; i < settings.objects(); i++) {
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
            slots.acquire(settings.concurrency());
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            if (failure.get() != null) {
                throw new IllegalStateException("the CopyObject loop against " + label + " failed", failure.get());
            }
            CopyResult loop = new CopyResult(label, label, "CopyObject loop", settings.objects(), elapsed, cpu.secondsSinceStart(),
                    settings.concurrency() + " in flight, nothing else per request");
            System.out.printf("== ceiling of %s (%s)%n", label, endpoint);
            CopyResults.print(loop);
            System.out.println();
            BenchBuckets.emptyBucket(s3, bucket);
            return new Ceiling(loop.objectsPerSecond(), String.format(Locale.ROOT,
                    "CopyObject loop, %d in flight, %.3f client CPU s/1,000", settings.concurrency(), loop.cpuPerThousand()));
        }
    }

    /** {@code aws s3 cp --recursive} of the whole export; its CPU is the {@code aws} process's and its children's. */
    CopyResult awsCli(String server, String scenario, URI endpoint, S3Client s3, WrittenExport written, String bucket) {
        BenchBuckets.createBucket(s3, bucket);
        Map<String, String> environment = new HashMap<>();
        if (System.getenv("AWS_ACCESS_KEY_ID") == null) {
            environment.put("AWS_ACCESS_KEY_ID", "test");
        }
        if (System.getenv("AWS_SECRET_ACCESS_KEY") == null) {
            environment.put("AWS_SECRET_ACCESS_KEY", "test");
        }
        environment.put("AWS_DEFAULT_REGION", "us-east-1");
        long start = System.nanoTime();
        // bash's `times` prints the CPU of the aws process and its children on standard error, its output goes nowhere.
        ChildProcess.Finished cli = ChildProcess.builder("aws-cli", List.of("bash", "-c",
                        "\"$@\" > /dev/null; rc=$?; times >&2; exit $rc", "bash",
                        settings.awsCli(), "s3", "cp", "--recursive", "--only-show-errors", "--endpoint-url", endpoint.toString(),
                        "s3://" + EXPORTS + "/" + written.root(), "s3://" + bucket + "/"))
                .environment(environment).run(AWS_CLI_TIMEOUT);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        if (cli.exitCode() != 0) {
            throw new IllegalStateException("aws s3 cp failed (exit " + cli.exitCode() + "): " + cli.output());
        }
        long copied = BenchBuckets.count(s3, bucket);
        if (copied != written.objects().size()) {
            throw new IllegalStateException("aws s3 cp copied " + copied + " of " + written.objects().size() + " objects");
        }
        return CopyResults.print(new CopyResult(server, scenario, "aws-cli", copied, elapsed, childrenCpuSeconds(cli.output()),
                "aws s3 cp --recursive, default settings"));
    }

    /** A sequential CopyObject loop over the export's first {@code limit} objects. */
    CopyResult sequential(String server, String scenario, URI endpoint, S3Client seedClient, WrittenExport written, String bucket,
            int limit) {
        BenchBuckets.createBucket(seedClient, bucket);
        try (S3Client s3 = BenchBuckets.syncClient(endpoint)) {
            CpuClock cpu = new CpuClock();
            long start = System.nanoTime();
            long copied = 0;
            outer:
            for (var page : s3.listObjectsV2Paginator(list -> list.bucket(EXPORTS).prefix(written.root()))) {
                for (S3Object object : page.contents()) {
                    if (copied >= limit) {
                        break outer;
                    }
                    s3.copyObject(copy -> copy.sourceBucket(EXPORTS).sourceKey(object.key())
                            .destinationBucket(bucket).destinationKey(object.key()));
                    copied++;
                }
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            String note = copied < written.objects().size()
                    ? "sequential CopyObject loop, first " + copied + " of " + written.objects().size() + " objects"
                    : "sequential CopyObject loop";
            return CopyResults.print(new CopyResult(server, scenario, "sequential", copied, elapsed, cpu.secondsSinceStart(), note));
        }
    }

    /** bash's {@code times}: the second line is the children's user and system time, e.g. {@code 0m1.234s 0m0.100s}. */
    static double childrenCpuSeconds(String timesOutput) {
        Matcher time = TIME.matcher(timesOutput);
        List<Double> seconds = new ArrayList<>();
        while (time.find()) {
            seconds.add(Long.parseLong(time.group(1)) * 60 + Double.parseDouble(time.group(2)));
        }
        if (seconds.size() < 4) {
            throw new IllegalStateException("could not read the AWS CLI's CPU time from: " + timesOutput);
        }
        return seconds.get(2) + seconds.get(3);
    }
}
