package io.snaplake.lab.bench;

import io.snaplake.crawlerrunner.aws.CatalogClients;
import io.snaplake.crawlerrunner.domain.CatalogReport;
import io.snaplake.crawlerrunner.domain.CatalogRequest;
import io.snaplake.crawlerrunner.domain.DirectRegistrar;
import io.snaplake.pipeline.retry.RetryPolicy;
import io.snaplake.crawlerrunner.domain.TableOutcome;
import io.snaplake.crawlerrunner.aws.AwsCalls;
import io.snaplake.crawlerrunner.aws.GlueCatalog;
import io.snaplake.crawlerrunner.aws.S3LakeStore;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.testkit.proxy.FaultProxy;
import io.snaplake.rdsexportwriter.ParquetFileFactory;
import io.snaplake.rdsexportwriter.RdsColumns;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.SerDeInfo;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Catalogues one day of an export of 100 and of 500 tables (several Parquet files each) against moto behind
 * a proxy adding latency to every request: with the crawler-runner's own code (DirectRegistrar: footers read
 * with ranged GETs, tables in parallel), and the naive way (GetTable, CreateTable, CreatePartition one
 * after another per table, the schema handed to it for free). Prints requests and wall time for each, and
 * the Glue crawler's cost model beside them.
 */
@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = "Benchmark direct Glue registration (crawler-runner) against the naive one-table-at-a-time way, behind a latency proxy.")
public final class CatalogBenchmark implements Callable<Integer> {

    private static final String LAKE = "bench-catalog-lake";
    private static final LocalDate DAY = LocalDate.parse("2026-11-20");
    /** Glue crawler pricing (us-east-1): $0.44 per DPU-hour, billed per second, with a 10-minute minimum per crawl. */
    private static final double DOLLARS_PER_DPU_HOUR = 0.44;
    private static final int MINIMUM_DPU_MINUTES = 10;

    @Option(names = "--tables", defaultValue = "100,500", split = ",", description = "Export sizes in tables (default ${DEFAULT-VALUE}).")
    List<Integer> tableCounts;

    @Option(names = "--files-per-table", defaultValue = "4", description = "Parquet files per table (default ${DEFAULT-VALUE}).")
    int filesPerTable;

    @Option(names = "--latency-ms", defaultValue = "100", description = "Latency the proxy adds to every request (default ${DEFAULT-VALUE}).")
    long latencyMs;

    @Option(names = "--concurrency", defaultValue = "32", description = "Tables registered in parallel, the crawler-runner's default (default ${DEFAULT-VALUE}).")
    int concurrency;

    /** The service's requests by kind, and how long each took on the wire. */
    private final RequestTally tally = new RequestTally();

    @Override
    public Integer call() throws Exception {
        URI moto = LocalInfra.moto().endpoint();
        String run = Long.toString(System.currentTimeMillis() % 1_000_000);
        List<String> lines = new ArrayList<>();
        try (S3Client s3 = S3Client.builder().region(Region.US_EAST_1).endpointOverride(moto).forcePathStyle(true).build();
                FaultProxy proxy = FaultProxy.builder(moto).latency(Duration.ofMillis(latencyMs)).start()) {
            if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(LAKE))) {
                s3.createBucket(create -> create.bucket(LAKE));
            }
            System.out.printf("moto %s, behind a proxy adding %d ms to every request: %s%n%n", moto, latencyMs, proxy.endpoint());
            double lastDirect = 0;
            double lastNaive = 0;
            for (int tables : tableCounts) {
                String cluster = "bench" + tables + "r" + run;
                List<CatalogRequest.CopiedTable> copied = seed(s3, cluster, tables);

                long before = proxy.requests();
                tally.reset();
                long start = System.nanoTime();
                CatalogReport report = direct(proxy.endpoint()).register(new CatalogRequest(cluster, "rds:" + cluster + "-2026-11-20-03-10",
                        "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:" + cluster, Instant.parse("2026-11-20T03:10:00Z").toEpochMilli(),
                        DAY, "bench-export", LAKE, copied));
                double directSeconds = (System.nanoTime() - start) / 1e9;
                long directRequests = proxy.requests() - before;
                long catalogued = report.tables().stream().filter(t -> t.status() == TableOutcome.TableStatus.CREATED).count();
                if (catalogued != tables) {
                    throw new IllegalStateException("crawler-runner catalogued " + catalogued + " of " + tables + " tables: " + report.tables().stream()
                            .filter(t -> t.status() != TableOutcome.TableStatus.CREATED).findFirst().map(TableOutcome::message).orElse(""));
                }
                System.out.printf(Locale.ROOT, "  %3d tables x %d files  crawler-runner: %5d requests (Glue + S3 footers) in %6.1f s%n",
                        tables, filesPerTable, directRequests, directSeconds);
                System.out.printf("      by kind, each sent to answered: %s%n", tally.summary());

                before = proxy.requests();
                start = System.nanoTime();
                naive(proxy.endpoint(), "naive_" + cluster, copied);
                double naiveSeconds = (System.nanoTime() - start) / 1e9;
                long naiveRequests = proxy.requests() - before;
                System.out.printf(Locale.ROOT, "  %3d tables x %d files  naive:          %5d requests (Glue only)        in %6.1f s%n",
                        tables, filesPerTable, naiveRequests, naiveSeconds);
                lines.add(String.format(Locale.ROOT, "| %d | %d | %d | %.1f | %d | %.1f |", tables, tables * filesPerTable,
                        directRequests, directSeconds, naiveRequests, naiveSeconds));
                lastDirect = directSeconds;
                lastNaive = naiveSeconds;
            }
            System.out.printf("%n| tables | files | crawler-runner requests | crawler-runner s | naive requests | naive s |%n|---|---|---|---|---|---|%n");
            lines.forEach(System.out::println);
            System.out.printf(Locale.ROOT, "%nGlue crawler method, cost model: a crawl is billed per DPU-second with a %d DPU-minute minimum,"
                    + " so each crawl of a cluster's day costs at least %d DPU-minutes ($%.3f at $%.2f/DPU-hour), every day, per crawler;"
                    + " it takes minutes (start-up alone is typically 1-2 min on AWS; not measurable on moto, whose crawler creates no tables)."
                    + " Direct registration costs no DPU: Glue API requests (1M free per month, then $1 per 1M) and S3 GETs.%n",
                    MINIMUM_DPU_MINUTES, MINIMUM_DPU_MINUTES, MINIMUM_DPU_MINUTES / 60.0 * DOLLARS_PER_DPU_HOUR, DOLLARS_PER_DPU_HOUR);
            int last = tableCounts.get(tableCounts.size() - 1);
            System.out.printf(Locale.ROOT, "catalog %d tables (%d ms): %.1f s, naive %.1f s%n", last, latencyMs, lastDirect, lastNaive);
        }
        return 0;
    }

    /** Writes {@code filesPerTable} real Parquet files per table into the lake's day folders; returns the tables as ParquetCopied lists them. */
    private List<CatalogRequest.CopiedTable> seed(S3Client s3, String cluster, int tables) throws Exception {
        byte[] file = ParquetFileFactory.parquet("bench", RdsColumns.postgresql(), 0, 20);
        List<CatalogRequest.CopiedTable> copied = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int t = 0; t < tables; t++) {
                String table = "public.table_" + t;
                String prefix = "lake/" + cluster + "/appdb/public_table_" + t + "/date=" + DAY + "/";
                for (int f = 0; f < filesPerTable; f++) {
                    String key = prefix + "1_part-" + String.format("%05d", f) + ".gz.parquet";
                    puts.add(pool.submit(() -> s3.putObject(put -> put.bucket(LAKE).key(key), RequestBody.fromBytes(file))));
                }
                copied.add(new CatalogRequest.CopiedTable("appdb", table, true, "s3://" + LAKE + "/" + prefix, null));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("seeded %d tables x %d Parquet files for cluster %s%n", tables, filesPerTable, cluster);
        return copied;
    }

    private DirectRegistrar direct(URI endpoint) {
        RetryPolicy retry = new RetryPolicy(10, Duration.ofMillis(200), Duration.ofSeconds(20));
        // Daemon threads: the command ends when the benchmark does.
        ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(CatalogBenchmark::daemon);
        ExecutorService workers = Executors.newFixedThreadPool(concurrency, CatalogBenchmark::daemon);
        GlueClient glue = CatalogClients.glue(Region.US_EAST_1, endpoint, concurrency, List.of(tally));
        return new DirectRegistrar(new GlueCatalog(glue, new AwsCalls(retry)),
                new S3LakeStore(CatalogClients.s3(Region.US_EAST_1, endpoint, concurrency * 4, List.of(tally)), retry, retries, 64 * 1024),
                "{cluster}", workers);
    }

    private static Thread daemon(Runnable runnable) {
        Thread thread = new Thread(runnable, "bench-catalog");
        thread.setDaemon(true);
        return thread;
    }

    /** One table after another: GetTable, CreateTable, CreatePartition, with the columns known in advance. */
    private static void naive(URI endpoint, String database, List<CatalogRequest.CopiedTable> copied) {
        try (GlueClient glue = GlueClient.builder().region(Region.US_EAST_1).endpointOverride(endpoint).build()) {
            glue.createDatabase(create -> create.databaseInput(input -> input.name(database)));
            var columns = RdsColumns.postgresql().stream().map(c -> software.amazon.awssdk.services.glue.model.Column.builder()
                    .name(c.name()).type("string").build()).toList();
            SerDeInfo serde = SerDeInfo.builder().serializationLibrary("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe").build();
            for (CatalogRequest.CopiedTable table : copied) {
                String name = "appdb_" + table.table().replace('.', '_');
                String tableLocation = table.location().substring(0, table.location().indexOf("date="));
                try {
                    glue.getTable(get -> get.databaseName(database).name(name));
                } catch (EntityNotFoundException missing) {
                    glue.createTable(create -> create.databaseName(database).tableInput(input -> input.name(name).tableType("EXTERNAL_TABLE")
                            .partitionKeys(key -> key.name("date").type("string"))
                            .storageDescriptor(sd -> sd.location(tableLocation).columns(columns).serdeInfo(serde))));
                }
                glue.createPartition(create -> create.databaseName(database).tableName(name).partitionInput(input -> input
                        .values(DAY.toString()).storageDescriptor(sd -> sd.location(table.location()).columns(columns).serdeInfo(serde))));
            }
        }
    }
}
