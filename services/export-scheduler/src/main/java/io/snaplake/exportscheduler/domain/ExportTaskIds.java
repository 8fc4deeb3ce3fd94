package io.snaplake.exportscheduler.domain;

import io.snaplake.events.SnapshotRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The export task identifier of a snapshot's export: a pure function of the snapshot and the attempt,
 * so that a retry, a restart or a replay finds the task it started before (AWS answers
 * ExportTaskAlreadyExists) instead of exporting the snapshot twice.
 *
 * <p>Shape: {@code snaplake-<cluster>-<yyyyMMdd>-<hash>[-a<attempt>]}, where the hash is taken over the
 * snapshot ARN, so that two snapshots never share an id even when the cluster name is shortened. It
 * obeys RDS's rules: letters, digits and hyphens, starts with a letter, no double or trailing hyphen,
 * at most 60 characters.
 */
public final class ExportTaskIds {

    public static final int MAX_LENGTH = 60;

    private static final String PREFIX = "snaplake-";
    private static final int HASH_CHARS = 10;
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private ExportTaskIds() {
    }

    /**
     * @param attempt 1 for a snapshot's first export; 2, 3... for exports asked for again (forceExport)
     */
    public static String forSnapshot(SnapshotRef snapshot, int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt starts at 1, got " + attempt);
        }
        String suffix = "-" + snapshot.getSnapshotDate().format(DAY) + "-" + hash(snapshot.getSnapshotArn())
                + (attempt == 1 ? "" : "-a" + attempt);
        int room = MAX_LENGTH - PREFIX.length() - suffix.length() - 1;
        String cluster = shorten(sanitize(snapshot.getClusterId()), room);
        return cluster.isEmpty() ? PREFIX + suffix.substring(1) : PREFIX + cluster + suffix;
    }

    /** True when {@code id} obeys RDS's rules for an export task identifier. */
    public static boolean isValid(String id) {
        return id.length() <= MAX_LENGTH && id.matches("[a-zA-Z][a-zA-Z0-9-]*") && !id.contains("--") && !id.endsWith("-");
    }

    private static String sanitize(String clusterId) {
        return clusterId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    }

    private static String shorten(String value, int maxLength) {
        String shortened = value.length() <= maxLength ? value : value.substring(0, maxLength);
        return shortened.replaceAll("-+$", "");
    }

    private static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
