package io.snaplake.parquetcopier.domain;

import static io.snaplake.parquetcopier.domain.WrittenExports.bytes;
import static io.snaplake.parquetcopier.domain.WrittenExports.files;
import static io.snaplake.parquetcopier.domain.WrittenExports.lakeFolder;
import static io.snaplake.parquetcopier.domain.WrittenExports.lakeKeys;
import static io.snaplake.parquetcopier.domain.WrittenExports.lakeLocation;
import static io.snaplake.parquetcopier.domain.WrittenExports.writeSmall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snaplake.pipeline.retry.RetryPolicy;
import io.snaplake.rdsexportwriter.BatchLayout;
import io.snaplake.rdsexportwriter.ExportSpec;
import io.snaplake.rdsexportwriter.ExportWriter;
import io.snaplake.rdsexportwriter.TableSpec;
import io.snaplake.rdsexportwriter.WrittenExport;
import io.snaplake.testkit.proxy.AwsError;
import io.snaplake.testkit.proxy.FaultProxy;
import io.snaplake.testkit.LocalInfra;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The copy engine against moto's S3 (and, for throttling and server errors, the S3 fault proxy in front of it). */
class ExportCopierTest {

    private static final LocalDate DAY = LocalDate.parse("2026-11-20");
    private static final String CLUSTER = "orders";

    private final S3Client s3 = MotoCopier.s3();

    @Test
    void copiesBothNamingConventions_intoTheDateLayout_andReportsWhatTheExportSkipped() {
        WrittenExport written = new ExportWriter(s3).write(ExportSpec.sample("exports-sample", "exports", "exp-sample"));
        ExportCopier copier = MotoCopier.lake("lake-sample").build();

        ExportCopyReport report = copier.copy(new ExportLocation("exports-sample", "exports", "exp-sample"), CLUSTER, DAY);

        assertThat(report).isEqualTo(new ExportCopyReport(List.of(
                copied(written, "lake-sample", "ordersdb", "public.orders"),
                copied(written, "lake-sample", "ordersdb", "public.order_lines"),
                copied(written, "lake-sample", "ordersdb", "public.customers"),
                copied(written, "lake-sample", "billingdb", "public.invoices"),
                new TableReport("billingdb", "public.audit_log", TableCopyStatus.SKIPPED_BY_EXPORT, "FAILED", null,
                        1, bytes(written, "billingdb", "public.audit_log"), 0, 0, 0, 0,
                        "Table public.audit_log was skipped: a row is close to or larger than 2 GB")),
                List.of(new ExportManifest.SkippedDatabase("reportingdb",
                        "Database reportingdb was skipped: the export role has no permission to read it")),
                null));
        assertThat(report.complete()).isTrue();
        assertThat(keys("lake-sample", "")).containsExactlyInAnyOrderElementsOf(lakeKeysBut(written, "billingdb", "public.audit_log"));
    }

    @Test
    void copiesNothingNew_whenTheSameExportIsReplayed() {
        WrittenExport written = new ExportWriter(s3).write(ExportSpec.sample("exports-replay", "", "exp-replay"));
        ExportCopier copier = MotoCopier.lake("lake-replay").build();
        ExportLocation export = new ExportLocation("exports-replay", "", "exp-replay");
        copier.copy(export, CLUSTER, DAY);
        Map<String, Instant> firstCopies = lastModified("lake-replay");

        ExportCopyReport replay = copier.copy(export, CLUSTER, DAY);

        assertThat(replay.tables()).filteredOn(table -> table.status() == TableCopyStatus.COPIED)
                .hasSize(4)
                .allSatisfy(table -> {
                    assertThat(table.filesCopied()).isZero();
                    assertThat(table.filesAlreadyPresent()).isEqualTo(table.filesFound()).isPositive();
                    assertThat(table.bytesAlreadyPresent()).isEqualTo(table.bytesFound());
                });
        assertThat(lastModified("lake-replay")).isEqualTo(firstCopies);
    }

    @Test
    void resumesAfterACrashMidCopy_withoutDuplicatesInTheLake() {
        WrittenExport written = writeSmall(s3, "exports-crash", "exp-crash",
                TableSpec.complete("db", "public.big", BatchLayout.NUMBERED_BATCHES, 40).withFilesPerBatch(10));
        ExportLocation export = new ExportLocation("exports-crash", "", "exp-crash");
        // Test double of a crash: after 15 copies the store dies (every later copy fails), as if the process were killed.
        AtomicInteger copiesBeforeCrash = new AtomicInteger(15);
        ExportCopier crashing = MotoCopier.lake("lake-crash").concurrency(4)
                .wrapStore(store -> new DyingStore(store, copiesBeforeCrash)).build();
        ExportCopyReport crashed = crashing.copy(export, CLUSTER, DAY);
        assertThat(crashed.complete()).isFalse();
        assertThat(crashed.tables().get(0).filesCopied()).isEqualTo(15);

        ExportCopyReport resumed = MotoCopier.lake("lake-crash").build().copy(export, CLUSTER, DAY);

        assertThat(resumed.complete()).isTrue();
        assertThat(resumed.tables().get(0)).isEqualTo(new TableReport("db", "public.big", TableCopyStatus.COPIED, "COMPLETE",
                "s3://lake-crash/raw/orders/db/public_big/date=2026-11-20/exp-crash/", 40, bytes(written, "db", "public.big"),
                25, bytes(written, "db", "public.big") - crashed.tables().get(0).bytesCopied(),
                15, crashed.tables().get(0).bytesCopied(), null));
        assertThat(keys("lake-crash", "")).containsExactlyInAnyOrderElementsOf(lakeKeys(written, CLUSTER).keySet());
    }

    @Test
    void retriesThrottledCopies_whenS3Answers503SlowDown() {
        WrittenExport written = writeSmall(s3, "exports-throttle", "exp-throttle",
                TableSpec.complete("db", "public.t", BatchLayout.NUMBERED_BATCHES, 12));
        AtomicLong retries = new AtomicLong();
        try (FaultProxy proxy = FaultProxy.builder(LocalInfra.moto().endpoint()).failFirstCopies(5, AwsError.SLOW_DOWN).start()) {
            ExportCopier copier = MotoCopier.lake("lake-throttle").through(proxy.endpoint())
                    .retry(new RetryPolicy(8, Duration.ofMillis(5), Duration.ofMillis(50)))
                    .metrics(new CopyMetrics() {
                        @Override
                        public void retried(Throwable cause) {
                            retries.incrementAndGet();
                        }
                    }).build();

            ExportCopyReport report = copier.copy(new ExportLocation("exports-throttle", "", "exp-throttle"), CLUSTER, DAY);

            assertThat(report.tables()).containsExactly(copied(written, "lake-throttle", "db", "public.t"));
            assertThat(proxy.failedFirst()).isEqualTo(5);
            assertThat(retries).hasValue(5);
        }
    }

    static Stream<AwsError> serverErrors() {
        return Stream.of(AwsError.INTERNAL_ERROR,
                new AwsError(502, "Bad Gateway", "BadGateway", "The server received an invalid response from upstream."));
    }

    @ParameterizedTest
    @MethodSource("serverErrors")
    void retriesCopiesAnsweredWithA5xx_andCompletesTheCopy(AwsError error) {
        String exports = "exports-http" + error.status();
        String lake = "lake-http" + error.status();
        WrittenExport written = writeSmall(s3, exports, "exp-5xx",
                TableSpec.complete("db", "public.t", BatchLayout.NUMBERED_BATCHES, 6));
        List<String> retriedErrors = new CopyOnWriteArrayList<>();
        try (FaultProxy proxy = FaultProxy.builder(LocalInfra.moto().endpoint()).failFirstCopies(4, error).start()) {
            ExportCopier copier = MotoCopier.lake(lake).through(proxy.endpoint())
                    .retry(new RetryPolicy(8, Duration.ofMillis(5), Duration.ofMillis(50)))
                    .metrics(new CopyMetrics() {
                        @Override
                        public void retried(Throwable cause) {
                            retriedErrors.add(cause instanceof S3Exception s3Error
                                    ? s3Error.statusCode() + " " + s3Error.awsErrorDetails().errorCode()
                                    : cause.toString());
                        }
                    }).build();

            ExportCopyReport report = copier.copy(new ExportLocation(exports, "", "exp-5xx"), CLUSTER, DAY);

            assertThat(report.tables()).containsExactly(copied(written, lake, "db", "public.t"));
            assertThat(proxy.failedFirst()).isEqualTo(4);
            assertThat(retriedErrors).containsExactly(Collections.nCopies(4, error.status() + " " + error.code()).toArray(String[]::new));
        }
    }

    @Test
    void waitsOutThrottling_thatOutlastsTheRetries_asAnOutage_andCompletesOnceS3Answers() {
        WrittenExport written = writeSmall(s3, "exports-giveup", "exp-giveup",
                TableSpec.complete("db", "public.t", BatchLayout.FLAT, 2));
        try (FaultProxy proxy = FaultProxy.builder(LocalInfra.moto().endpoint()).failFirstCopies(1_000, AwsError.SLOW_DOWN).start()) {
            ExportCopier copier = MotoCopier.lake("lake-giveup").through(proxy.endpoint())
                    .retry(new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(20))).build();
            ExportLocation export = new ExportLocation("exports-giveup", "", "exp-giveup");

            // Not a failed table: an outage, which the consumer waits out (the event is handled again).
            assertThatThrownBy(() -> copier.copy(export, CLUSTER, DAY))
                    .isInstanceOf(ObjectStoreUnavailableException.class)
                    .hasMessageStartingWith("copying export exp-giveup (table db.public.t) met an S3 outage")
                    .hasMessageContaining("Please reduce your request rate");
            assertThat(proxy.failedFirst()).isEqualTo(6);

            ExportCopier afterTheOutage = MotoCopier.lake("lake-giveup").build();
            assertThat(afterTheOutage.copy(export, CLUSTER, DAY).tables().get(0))
                    .isEqualTo(copied(written, "lake-giveup", "db", "public.t"));
        }
    }

    @ParameterizedTest
    @MethodSource("outages")
    void waitsOutAnOutage_whileReadingTheExportsTablesInfo_insteadOfReportingItUnreadable(AwsError outage) {
        writeSmall(s3, "exports-manifest-outage", "exp-mo", TableSpec.complete("db", "public.t", BatchLayout.FLAT, 1));
        try (FaultProxy proxy = FaultProxy.builder(LocalInfra.moto().endpoint()).start()) {
            proxy.startOutage(outage);
            ExportCopier copier = MotoCopier.lake("lake-manifest-outage").through(proxy.endpoint())
                    .retry(new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(10))).build();

            assertThatThrownBy(() -> copier.copy(new ExportLocation("exports-manifest-outage", "", "exp-mo"), CLUSTER, DAY))
                    .isInstanceOf(ObjectStoreUnavailableException.class)
                    .hasMessageContaining(outage.code().equals("AccessDenied") ? "Access Denied" : outage.message());
            assertThat(proxy.failedDuringOutage()).isPositive();
        }
    }

    static Stream<AwsError> outages() {
        return Stream.of(AwsError.SLOW_DOWN, AwsError.INTERNAL_ERROR, AwsError.ACCESS_DENIED);
    }

    @Test
    void boundsTheWholeExportByTheCopyTimeout_cancellingTheCopiesStillInFlight() {
        writeSmall(s3, "exports-hang", "exp-hang", TableSpec.complete("db", "public.t", BatchLayout.FLAT, 6));
        // Test double of S3 requests that never answer (a hung connection, or retries that never end).
        List<CompletableFuture<Void>> hung = new CopyOnWriteArrayList<>();
        ExportCopier copier = MotoCopier.lake("lake-hang").concurrency(4).copyTimeout(Duration.ofSeconds(2))
                .wrapStore(store -> new HangingStore(store, hung)).build();

        long started = System.nanoTime();
        ExportCopyReport report = copier.copy(new ExportLocation("exports-hang", "", "exp-hang"), CLUSTER, DAY);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(10));
        assertThat(hung).hasSize(4).allMatch(CompletableFuture::isCancelled);
        assertThat(report.complete()).isFalse();
        TableReport table = report.tables().get(0);
        assertThat(table.status()).isEqualTo(TableCopyStatus.FAILED);
        assertThat(table.filesCopied()).isZero();
        // The fifth file waited for a slot until the deadline; the four in flight were cancelled then.
        assertThat(table.message()).startsWith("5 problem(s): copy-timeout PT2S reached before every file was copied; "
                        + "a re-run resumes; s3://exports-hang/exp-hang/db/public.t/part-0000")
                .contains(": copy cancelled, copy-timeout PT2S reached");
    }

    @Test
    void failsTheTable_whenTheLakePartitionDoesNotMatchTheExportAfterCopying() {
        writeSmall(s3, "exports-stale", "exp-stale", TableSpec.complete("db", "public.t", BatchLayout.FLAT, 3));
        s3.createBucket(create -> create.bucket("lake-stale"));
        putText("lake-stale", "raw/orders/db/public_t/date=2026-11-20/exp-stale/part-99999-old.gz.parquet",
                "PAR1 from an older export PAR1");

        TableReport table = onlyTableOfCopy("exports-stale", "exp-stale", "lake-stale");

        assertThat(table.status()).isEqualTo(TableCopyStatus.FAILED);
        assertThat(table.filesCopied()).isEqualTo(3);
        assertThat(table.message()).startsWith("verification failed: the lake partition holds 4 Parquet files");
    }

    @Test
    void refusesAHostileKey_andCopiesNothingOutsideTheTablePath() {
        writeSmall(s3, "exports-hostile", "exp-hostile", TableSpec.complete("db", "public.t", BatchLayout.FLAT, 2));
        putText("exports-hostile", "exp-hostile/db/public.t/../../../../escape.gz.parquet", "PAR1 hostile PAR1");

        TableReport table = onlyTableOfCopy("exports-hostile", "exp-hostile", "lake-hostile");

        assertThat(table.status()).isEqualTo(TableCopyStatus.FAILED);
        assertThat(table.message()).isEqualTo("1 problem(s): refused source key part '../../../../escape.gz.parquet': "
                + "it would escape the table path (path segment '..' is a relative path segment)");
        assertThat(keys("lake-hostile", "")).hasSize(2)
                .allMatch(key -> key.startsWith("raw/orders/db/public_t/date=2026-11-20/exp-hostile/part-"));
    }

    @Test
    void copiesLargeObjectsInParts_withUploadPartCopy_aboveTheThreshold() {
        byte[] big = new byte[12 * 1024 * 1024 + 123];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        new ExportWriter(s3).write(ExportSpec.builder("exports-multipart", "exp-mp")
                .table(TableSpec.complete("db", "public.t", BatchLayout.FLAT, 0)).build());
        s3.putObject(put -> put.bucket("exports-multipart").key("exp-mp/db/public.t/1/part-00000-big.gz.parquet"),
                RequestBody.fromBytes(big));
        ExportCopier copier = MotoCopier.lake("lake-multipart").multipart(6L << 20, 5L << 20).build();
        ExportLocation export = new ExportLocation("exports-multipart", "", "exp-mp");

        ExportCopyReport first = copier.copy(export, CLUSTER, DAY);
        ExportCopyReport replay = copier.copy(export, CLUSTER, DAY);

        String target = "raw/orders/db/public_t/date=2026-11-20/exp-mp/1_part-00000-big.gz.parquet";
        assertThat(first.tables().get(0).status()).isEqualTo(TableCopyStatus.COPIED);
        assertThat(first.tables().get(0).bytesCopied()).isEqualTo(big.length);
        assertThat(s3.getObjectAsBytes(get -> get.bucket("lake-multipart").key(target)).asByteArray()).isEqualTo(big);
        assertThat(s3.headObject(head -> head.bucket("lake-multipart").key(target)).eTag()).endsWith("-3\"");
        assertThat(replay.tables().get(0).filesAlreadyPresent()).isEqualTo(1);
        assertThat(replay.tables().get(0).filesCopied()).isZero();
    }

    @Test
    void keepsAtMostConcurrencyCopiesInFlight_overAListingOfSeveralPages() {
        writeSmall(s3, "exports-bounded", "exp-bounded",
                TableSpec.complete("db", "public.t", BatchLayout.ALPHANUMERIC_BATCHES, 2_500).withFilesPerBatch(1_000));
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        ExportCopier copier = MotoCopier.lake("lake-bounded").concurrency(8)
                .wrapStore(store -> new CountingStore(store, inFlight, maxInFlight)).build();

        ExportCopyReport report = copier.copy(new ExportLocation("exports-bounded", "", "exp-bounded"), CLUSTER, DAY);

        assertThat(report.tables().get(0).filesCopied()).isEqualTo(2_500);
        assertThat(report.tables().get(0).status()).isEqualTo(TableCopyStatus.COPIED);
        assertThat(maxInFlight.get()).isBetween(2, 8);
    }

    @Test
    void listsTheNextTable_whileTheTableBeforeStillWaitsForSlots() {
        // Test double of slow copies: the first table's copies answer only once the second table has been listed.
        // With 2 slots and 6 files, a copier that lists a table only after handing all the table before it to
        // copies would never get there: its copies would time out instead.
        assertCopiesFirstAndSecond("ahead", 6, 2, "/public.first/", "exp-ahead/db/public.second/");
    }

    @Test
    void verifiesATable_whileTheTablesAfterItAreCopied() {
        // Test double of slow copies: the second table's copies answer only once the first table's lake partition
        // has been listed (its verification). A copier that verified every table after the last copy would
        // never get there: the second table's copies would time out instead.
        assertCopiesFirstAndSecond("verify", 3, 8, "/public.second/", "raw/orders/db/public_first/");
    }

    @Test
    void reportsTheExportUnreadable_whenItsTablesInfoIsMissing() {
        s3.createBucket(create -> create.bucket("exports-empty"));
        ExportCopyReport report = MotoCopier.lake("lake-empty").build()
                .copy(new ExportLocation("exports-empty", "x", "exp-empty"), CLUSTER, DAY);

        assertThat(report).isEqualTo(ExportCopyReport.unreadable("no export_tables_info_exp-empty_*.json under "
                + "s3://exports-empty/x/exp-empty/: the export wrote nothing there, or the ExportCompleted event names the wrong bucket or prefix"));
        assertThat(report.complete()).isFalse();
    }

    // --- helpers ---

    static TableReport copied(WrittenExport written, String lakeBucket, String database, String table) {
        long files = files(written, database, table).size();
        long bytes = bytes(written, database, table);
        return new TableReport(database, table, TableCopyStatus.COPIED, "COMPLETE",
                lakeLocation(written, lakeBucket, CLUSTER, database, table), files, bytes, files, bytes, 0, 0, null);
    }

    /**
     * Writes an export of two tables, {@code db.public.first} of {@code firstFiles} files and {@code db.public.second}
     * of 3, to {@code exports-<name>}; copies it with {@code concurrency} slots through a {@link HoldingStore}; and
     * checks that both tables were copied whole.
     */
    private void assertCopiesFirstAndSecond(String name, int firstFiles, int concurrency, String heldPath,
            String releasingPrefix) {
        WrittenExport written = writeSmall(s3, "exports-" + name, "exp-" + name,
                TableSpec.complete("db", "public.first", BatchLayout.FLAT, firstFiles),
                TableSpec.complete("db", "public.second", BatchLayout.FLAT, 3));
        ExportCopier copier = MotoCopier.lake("lake-" + name).concurrency(concurrency)
                .wrapStore(store -> new HoldingStore(store, heldPath, releasingPrefix)).build();

        ExportCopyReport report = copier.copy(new ExportLocation("exports-" + name, "", "exp-" + name), CLUSTER, DAY);

        assertThat(report.tables()).containsExactly(
                copied(written, "lake-" + name, "db", "public.first"),
                copied(written, "lake-" + name, "db", "public.second"));
    }

    /** The report of the only table of export {@code exportTaskId} in {@code exports}, copied into {@code lake}. */
    private static TableReport onlyTableOfCopy(String exports, String exportTaskId, String lake) {
        return MotoCopier.lake(lake).build().copy(new ExportLocation(exports, "", exportTaskId), CLUSTER, DAY).tables().get(0);
    }

    private void putText(String bucket, String key, String text) {
        s3.putObject(put -> put.bucket(bucket).key(key), RequestBody.fromString(text));
    }

    /** The lake keys the part files should land at, but for those of one table. */
    private static List<String> lakeKeysBut(WrittenExport written, String database, String table) {
        String excluded = lakeFolder(written, CLUSTER, database, table);
        return lakeKeys(written, CLUSTER).keySet().stream().filter(key -> !key.startsWith(excluded)).toList();
    }

    private List<String> keys(String bucket, String prefix) {
        return s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    private Map<String, Instant> lastModified(String bucket) {
        return s3.listObjectsV2Paginator(list -> list.bucket(bucket)).contents().stream()
                .collect(Collectors.toMap(S3Object::key, S3Object::lastModified));
    }

    /** Forwards every call to the real store; a test double overrides the calls it changes. */
    private abstract static class ForwardingStore implements ObjectStore {
        final ObjectStore delegate;

        ForwardingStore(ObjectStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void list(String bucket, String prefix, Consumer<StoredObject> visitor) {
            delegate.list(bucket, prefix, visitor);
        }

        @Override
        public boolean anyUnder(String bucket, String prefix) {
            return delegate.anyUnder(bucket, prefix);
        }

        @Override
        public Optional<byte[]> read(String bucket, String key) {
            return delegate.read(bucket, key);
        }

        @Override
        public CompletableFuture<Optional<StoredObject>> head(String bucket, String key) {
            return delegate.head(bucket, key);
        }

        @Override
        public CompletableFuture<Void> copy(StoredObject source, String targetBucket, String targetKey) {
            return delegate.copy(source, targetBucket, targetKey);
        }
    }

    /**
     * Holds the copies of the files whose key contains {@code heldPath} (20 s at most) until a listing of a prefix
     * starting with {@code releasingPrefix} has been made.
     */
    private static final class HoldingStore extends ForwardingStore {
        private final String heldPath;
        private final String releasingPrefix;
        private final CompletableFuture<Void> released = new CompletableFuture<>();

        HoldingStore(ObjectStore delegate, String heldPath, String releasingPrefix) {
            super(delegate);
            this.heldPath = heldPath;
            this.releasingPrefix = releasingPrefix;
        }

        @Override
        public void list(String bucket, String prefix, Consumer<StoredObject> visitor) {
            delegate.list(bucket, prefix, visitor);
            if (prefix.startsWith(releasingPrefix)) {
                released.complete(null);
            }
        }

        @Override
        public CompletableFuture<Void> copy(StoredObject source, String targetBucket, String targetKey) {
            CompletableFuture<Void> gate = source.key().contains(heldPath)
                    ? released.copy().orTimeout(20, TimeUnit.SECONDS)
                    : CompletableFuture.completedFuture(null);
            return gate.thenCompose(open -> delegate.copy(source, targetBucket, targetKey));
        }
    }

    /** Fails every copy after the first {@code copiesLeft}: a process that died. */
    private static final class DyingStore extends ForwardingStore {
        private final AtomicInteger copiesLeft;

        DyingStore(ObjectStore delegate, AtomicInteger copiesLeft) {
            super(delegate);
            this.copiesLeft = copiesLeft;
        }

        @Override
        public CompletableFuture<Void> copy(StoredObject source, String targetBucket, String targetKey) {
            return copiesLeft.getAndDecrement() > 0
                    ? delegate.copy(source, targetBucket, targetKey)
                    : CompletableFuture.failedFuture(new IllegalStateException("process died"));
        }
    }

    /** Copies never answer until they are cancelled. */
    private static final class HangingStore extends ForwardingStore {
        private final List<CompletableFuture<Void>> hung;

        HangingStore(ObjectStore delegate, List<CompletableFuture<Void>> hung) {
            super(delegate);
            this.hung = hung;
        }

        @Override
        public CompletableFuture<Void> copy(StoredObject source, String targetBucket, String targetKey) {
            CompletableFuture<Void> never = new CompletableFuture<>();
            hung.add(never);
            return never;
        }
    }

    /** Counts copies in flight. */
    private static final class CountingStore extends ForwardingStore {
        private final AtomicInteger inFlight;
        private final AtomicInteger maxInFlight;

        CountingStore(ObjectStore delegate, AtomicInteger inFlight, AtomicInteger maxInFlight) {
            super(delegate);
            this.inFlight = inFlight;
            this.maxInFlight = maxInFlight;
        }

        @Override
        public CompletableFuture<Void> copy(StoredObject source, String targetBucket, String targetKey) {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            return delegate.copy(source, targetBucket, targetKey).whenComplete((done, error) -> inFlight.decrementAndGet());
        }
    }
}
