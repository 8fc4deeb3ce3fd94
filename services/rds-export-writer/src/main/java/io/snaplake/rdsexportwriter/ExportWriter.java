package io.snaplake.rdsexportwriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CreateBucketConfiguration;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * Writes into S3 what a real RDS snapshot export writes, because moto's StartExportTask writes nothing:
 * the part files under {@code <prefix>/<exportTaskId>/<db>/<schema.table>/}, and at the export root
 * {@code export_info_<id>.json} and {@code export_tables_info_<id>_from_N_to_M.json}. Writing the same
 * spec twice writes the same keys and bytes (file names are derived from the spec, not random).
 */
public final class ExportWriter {

    private final S3Client s3;
    private final int parallelism;

    public ExportWriter(S3Client s3) {
        this(s3, 16);
    }

    /** @param parallelism how many PutObject requests in flight (seeding thousands of objects) */
    public ExportWriter(S3Client s3, int parallelism) {
        this.s3 = s3;
        this.parallelism = parallelism;
    }

    public WrittenExport write(ExportSpec spec) {
        ensureBucket(spec.bucket());
        List<PendingObject> objects = new ArrayList<>();
        for (TableSpec table : spec.tables()) {
            objects.addAll(tableObjects(spec, table));
        }
        objects.add(new PendingObject(spec.root() + "export_info_" + spec.exportTaskId() + ".json",
                () -> ExportJson.exportInfo(spec).getBytes(StandardCharsets.UTF_8)));
        for (ExportJson.InfoFile info : ExportJson.tablesInfo(spec)) {
            objects.add(new PendingObject(spec.root() + info.name(), () -> info.json().getBytes(StandardCharsets.UTF_8)));
        }
        return new WrittenExport(spec.bucket(), spec.root(), putAll(spec.bucket(), objects));
    }

    private List<PendingObject> tableObjects(ExportSpec spec, TableSpec table) {
        List<PendingObject> objects = new ArrayList<>();
        String tableFolder = spec.root() + table.database() + "/" + table.table() + "/";
        String lastFolder = null;
        for (int i = 0; i < table.files(); i++) {
            int batch = table.layout() == BatchLayout.FLAT ? 0 : i / table.filesPerBatch();
            String folder = tableFolder + table.layout().folder(table.table(), batch);
            if (table.layout() != BatchLayout.FLAT && !folder.equals(lastFolder)) {
                // Exports leave a _SUCCESS marker in each batch folder: not data, never to be copied to the lake.
                objects.add(new PendingObject(folder + "_SUCCESS", () -> new byte[0]));
                lastFolder = folder;
            }
            String uuid = UUID.nameUUIDFromBytes((spec.exportTaskId() + "/" + table.target() + "/" + i)
                    .getBytes(StandardCharsets.UTF_8)).toString();
            String key = folder + String.format("part-%05d-%s.gz.parquet", i, uuid);
            long firstRow = (long) i * table.rowsPerFile();
            objects.add(new PendingObject(key, () -> switch (spec.content()) {
                case PARQUET -> ParquetFileFactory.parquet(table.table(), table.columns(), firstRow, table.rowsPerFile());
                case SMALL_OBJECTS -> smallObject(key);
            }));
        }
        return objects;
    }

    private static byte[] smallObject(String key) {
        return ("PAR1" + key.hashCode() + "PAR1").getBytes(StandardCharsets.US_ASCII);
    }

    private List<WrittenExport.WrittenObject> putAll(String bucket, List<PendingObject> objects) {
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        try {
            List<Future<WrittenExport.WrittenObject>> futures = new ArrayList<>(objects.size());
            for (PendingObject object : objects) {
                futures.add(pool.submit(() -> {
                    byte[] bytes = object.content().get();
                    s3.putObject(put -> put.bucket(bucket).key(object.key()), RequestBody.fromBytes(bytes));
                    return new WrittenExport.WrittenObject(object.key(), bytes.length);
                }));
            }
            List<WrittenExport.WrittenObject> written = new ArrayList<>(objects.size());
            for (Future<WrittenExport.WrittenObject> future : futures) {
                written.add(future.get());
            }
            return written;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the export", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not write the export to s3://" + bucket + ": " + e.getCause().getMessage(),
                    e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private void ensureBucket(String bucket) {
        try {
            s3.headBucket(head -> head.bucket(bucket));
        } catch (NoSuchBucketException e) {
            Region region = s3.serviceClientConfiguration().region();
            try {
                s3.createBucket(create -> {
                    create.bucket(bucket);
                    if (region != null && !Region.US_EAST_1.equals(region)) {
                        create.createBucketConfiguration(CreateBucketConfiguration.builder()
                                .locationConstraint(region.id()).build());
                    }
                });
            } catch (BucketAlreadyOwnedByYouException raced) {
                // Another writer created it between our HEAD and CREATE: the bucket exists, which is all we need.
            }
        }
    }

    private record PendingObject(String key, java.util.function.Supplier<byte[]> content) {
    }
}
