package io.snaplake.crawlerrunner.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crawler method's state for the partitions this replica owns: the copies waiting for a crawl and the copies done,
 * written to the durable {@link CrawlStateStore} first and kept in memory, read back from the store when a
 * partition is assigned. Its monitor guards the memory; the store is never called while holding it.
 */
final class CrawlState {

    private static final Logger log = LoggerFactory.getLogger(CrawlState.class);

    private final CrawlStateStore store;
    private final Map<Integer, Map<String, PendingCopy>> pending = new HashMap<>();
    private final Map<Integer, Map<String, DoneCopy>> done = new HashMap<>();
    private final Set<Integer> unrestored = new HashSet<>();
    /** Held while a state read from the store is merged, so that the consumer and the loop never restore at once. */
    private final Object restoring = new Object();

    CrawlState(CrawlStateStore store) {
        this.store = store;
    }

    /** What is pending of a copy's export: the other copies of the same work (twins), and the copy at the export's own key. */
    record Export(List<PendingCopy> twins, PendingCopy atExportKey) {
    }

    // Ownership and restore

    synchronized void assigned(Collection<Integer> partitions) {
        unrestored.addAll(partitions);
    }

    synchronized void released(Collection<Integer> partitions) {
        partitions.forEach(pending::remove);
        partitions.forEach(done::remove);
        unrestored.removeAll(partitions);
    }

    /** Reads the state of assigned partitions not read yet; does nothing if all are. */
    void restoreUnread() {
        synchronized (restoring) {
            Set<Integer> partitions;
            synchronized (this) {
                partitions = Set.copyOf(unrestored);
            }
            if (partitions.isEmpty()) {
                return;
            }
            CrawlStateStore.State restored;
            try {
                restored = store.restore(partitions);
            } catch (RuntimeException e) {
                throw new CrawlStateUnavailableException("Could not read the crawl state of partitions " + partitions + " yet: " + e, e);
            }
            synchronized (this) {
                // Merged, not replaced: nothing of an unread partition is in memory (its copies wait for this read).
                restored.pending().stream().filter(copy -> unrestored.contains(copy.partition())).forEach(this::putPending);
                restored.done().stream().filter(copy -> unrestored.contains(copy.partition()))
                        .forEach(copy -> doneOf(copy.partition()).put(copy.key(), copy));
                unrestored.removeAll(partitions);
            }
            if (!restored.pending().isEmpty() || !restored.done().isEmpty()) {
                log.info("Restored {} copies waiting for a crawl and {} done on partitions {}", restored.pending().size(),
                        restored.done().size(), partitions);
            }
        }
    }

    /** A copy is handled only once its partition's state is known: else a replay of a done copy would crawl again. */
    void restoreBefore(int partition) {
        boolean unread;
        synchronized (this) {
            unread = unrestored.contains(partition);
        }
        if (unread) {
            restoreUnread();
        }
    }

    // Reads

    synchronized int pendingCount() {
        return pending.values().stream().mapToInt(Map::size).sum();
    }

    synchronized int doneCount() {
        return done.values().stream().mapToInt(Map::size).sum();
    }

    /** The done record that answers {@code copy} (same export, same content), if any. */
    synchronized Optional<DoneCopy> answerOf(PendingCopy copy) {
        return doneOf(copy.partition()).values().stream().filter(doneCopy -> doneCopy.answers(copy)).findFirst();
    }

    synchronized Map<String, List<PendingCopy>> pendingByCluster() {
        return pending.values().stream().flatMap(copies -> copies.values().stream())
                .collect(Collectors.groupingBy(copy -> copy.request().cluster(), LinkedHashMap::new, Collectors.toList()));
    }

    /** The other pending copies of the same work as {@code copy}, and the pending copy at its export's own key. */
    synchronized Export exportOf(PendingCopy copy) {
        Map<String, PendingCopy> copies = pending.getOrDefault(copy.partition(), Map.of());
        return new Export(copies.values().stream().filter(other -> !other.key().equals(copy.key()) && other.sameWorkAs(copy)).toList(),
                copies.get(copy.copyKey()));
    }

    /** Pending copies that a done record answers (their answer was cut short by a restart, or the record was read back after them). */
    synchronized List<Map.Entry<PendingCopy, DoneCopy>> pendingAnsweredByDone() {
        List<Map.Entry<PendingCopy, DoneCopy>> answers = new ArrayList<>();
        pending.forEach((partition, copies) -> copies.values().forEach(copy -> {
            DoneCopy doneCopy = doneOf(partition).get(copy.copyKey());
            if (doneCopy != null && doneCopy.answers(copy)) {
                answers.add(Map.entry(copy, doneCopy));
            }
        }));
        return answers;
    }

    synchronized List<DoneCopy> doneRecordedBy(Instant instant) {
        return done.values().stream().flatMap(copies -> copies.values().stream()).filter(copy -> !copy.recordedAt().isAfter(instant)).toList();
    }

    // Writes: the store first, then memory

    /**
     * Records a copy as pending under its state key: the key it already has if the same event is pending (delivered
     * again), else the export's key if free, else one of its own beside the export's (a replay while another event is
     * pending). At the export's key it replaces a done record (other content: new work).
     */
    void recordPending(PendingCopy copy) {
        PendingCopy keyed;
        synchronized (this) {
            keyed = copy.withKey(stateKey(copy));
        }
        store.save(keyed);
        synchronized (this) {
            putPending(keyed);
            if (keyed.key().equals(keyed.copyKey())) {
                doneOf(keyed.partition()).remove(keyed.copyKey());
            }
        }
    }

    void recordDone(DoneCopy doneCopy) {
        store.saveDone(doneCopy);
        synchronized (this) {
            doneOf(doneCopy.partition()).put(doneCopy.key(), doneCopy);
        }
    }

    /**
     * Forgets a reported copy. At the export's own key a done record, just written, replaced it: no tombstone then
     * (it would delete the done record).
     */
    void forget(PendingCopy copy, boolean replacedByDone) {
        if (!(replacedByDone && copy.key().equals(copy.copyKey()))) {
            store.remove(copy.key(), copy.partition());
        }
        synchronized (this) {
            Map<String, PendingCopy> copies = pending.get(copy.partition());
            if (copies != null) {
                copies.remove(copy.key());
            }
        }
    }

    /** Tombstones a done record, unless it was replaced meanwhile (new work on the export) or released with its partition. */
    boolean expire(DoneCopy copy) {
        synchronized (this) {
            if (doneOf(copy.partition()).get(copy.key()) != copy) {
                return false;
            }
        }
        store.remove(copy.key(), copy.partition());
        synchronized (this) {
            doneOf(copy.partition()).remove(copy.key(), copy);
        }
        return true;
    }

    private String stateKey(PendingCopy copy) {
        Map<String, PendingCopy> copies = pending.getOrDefault(copy.partition(), Map.of());
        Optional<String> same = copies.values().stream()
                .filter(other -> other.copyKey().equals(copy.copyKey()) && other.eventId().equals(copy.eventId()))
                .map(PendingCopy::key).findFirst();
        if (same.isPresent()) {
            return same.get();
        }
        return copies.containsKey(copy.copyKey()) ? copy.copyKey() + PendingCopy.REPLAY_SEPARATOR + copy.eventId() : copy.copyKey();
    }

    private void putPending(PendingCopy copy) {
        pending.computeIfAbsent(copy.partition(), p -> new LinkedHashMap<>()).put(copy.key(), copy);
    }

    private Map<String, DoneCopy> doneOf(int partition) {
        return done.computeIfAbsent(partition, p -> new HashMap<>());
    }
}
