package io.snaplake.lab.bench;

import io.snaplake.parquetcopier.domain.ObjectStore;
import io.snaplake.parquetcopier.domain.StoredObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An in-memory {@link ObjectStore} that answers every request after a fixed latency and costs almost no
 * CPU: no HTTP, no signing, no XML. The copy benchmark runs the copier's engine against it to measure the
 * engine's scheduling alone (how full it keeps its window of copies in flight), a figure the machine's
 * load barely moves, beside the figures against real S3 servers, which the load moves a lot. Listings
 * come in pages of 1,000 keys, as S3's.
 */
final class LatencyOnlyStore implements ObjectStore, AutoCloseable {

    private static final int PAGE = 1_000;

    private final long latencyMillis;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "latency-only-store");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, ConcurrentSkipListMap<String, StoredObject>> buckets = new ConcurrentHashMap<>();
    private final Map<String, byte[]> contents = new ConcurrentHashMap<>();

    LatencyOnlyStore(Duration latency) {
        this.latencyMillis = latency.toMillis();
    }

    /** Puts an export in AWS's layout: one tables-info file, and {@code filesPerTable} part files in batch folders of 250 per table. */
    void seedExport(String bucket, String exportTaskId, int tables, int filesPerTable) {
        StringBuilder info = new StringBuilder("{\"perTableStatus\":[");
        for (int t = 0; t < tables; t++) {
            info.append(t == 0 ? "" : ",").append("{\"target\":\"benchdb.public.table_").append(t)
                    .append("\",\"status\":\"COMPLETE\"}");
            for (int f = 0; f < filesPerTable; f++) {
                String key = "%s/benchdb/public.table_%d/%d/part-%05d-bench.gz.parquet".formatted(exportTaskId, t, f / 250 + 1, f);
                bucket(bucket).put(key, StoredObject.listed(bucket, key, 1_000, "etag-" + t + "-" + f));
            }
        }
        info.append("]}");
        String infoKey = exportTaskId + "/export_tables_info_" + exportTaskId + "_from_1_to_" + tables + ".json";
        byte[] json = info.toString().getBytes(StandardCharsets.UTF_8);
        bucket(bucket).put(infoKey, StoredObject.listed(bucket, infoKey, json.length, "etag-info"));
        contents.put(bucket + "/" + infoKey, json);
    }

    @Override
    public void list(String bucket, String prefix, Consumer<StoredObject> visitor) {
        String from = prefix;
        while (true) {
            sleep();
            List<StoredObject> page = bucket(bucket).tailMap(from, true).values().stream()
                    .takeWhile(object -> object.key().startsWith(prefix)).limit(PAGE).toList();
            page.forEach(visitor);
            if (page.size() < PAGE) {
                return;
            }
            from = page.get(page.size() - 1).key() + "\0";
        }
    }

    @Override
    public boolean anyUnder(String bucket, String prefix) {
        sleep();
        String first = bucket(bucket).ceilingKey(prefix);
        return first != null && first.startsWith(prefix);
    }

    @Override
    public Optional<byte[]> read(String bucket, String key) {
        sleep();
        return Optional.ofNullable(contents.get(bucket + "/" + key));
    }

    @Override
    public CompletableFuture<Optional<StoredObject>> head(String bucket, String key) {
        return later(() -> Optional.ofNullable(bucket(bucket).get(key)));
    }

    @Override
    public CompletableFuture<Void> copy(StoredObject source, String targetBucket, String targetKey) {
        return later(() -> {
            bucket(targetBucket).put(targetKey, new StoredObject(targetBucket, targetKey, source.size(), "copy-" + source.etag(),
                    source.etag()));
            return null;
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private ConcurrentSkipListMap<String, StoredObject> bucket(String name) {
        return buckets.computeIfAbsent(name, any -> new ConcurrentSkipListMap<>());
    }

    private <T> CompletableFuture<T> later(Supplier<T> answer) {
        CompletableFuture<T> response = new CompletableFuture<>();
        timer.schedule(() -> response.complete(answer.get()), latencyMillis, TimeUnit.MILLISECONDS);
        return response;
    }

    private void sleep() {
        try {
            // The latency is the behaviour modelled (a far-away S3), not a wait for a condition.
            Thread.sleep(latencyMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while modelling S3's latency", e);
        }
    }
}
