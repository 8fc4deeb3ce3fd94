package io.snaplake.cli.ops;

import io.snaplake.events.SnapshotRef;
import io.snaplake.pipeline.Stage;
import java.time.LocalDate;
import java.util.regex.Pattern;

/**
 * The exact command an operator runs to re-run a failed stage of one cluster's day. Every value taken from
 * an event is shell-quoted: the command is pasted into a shell, and an event's cluster id is not to be trusted.
 */
public final class ReplayCommands {

    /** Words a POSIX shell reads as themselves, left unquoted so the usual command stays easy to read. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:/=@%+-]+");

    private ReplayCommands() {
    }

    public static String forFailure(SnapshotRef snapshot, Stage stage) {
        if (Flow.inputOf(stage).isEmpty()) {
            // The first stage has no input topic to replay from: ask it for the snapshot again.
            return "./snaplake request-snapshot --snapshot-arn " + quote(snapshot.getSnapshotArn());
        }
        return forDay(snapshot.getSnapshotDate(), snapshot.getClusterId(), stage);
    }

    public static String forDay(LocalDate day, String cluster, Stage stage) {
        return "./snaplake replay --date " + day + " --cluster " + quote(cluster) + " --from " + stage.serviceName();
    }

    /** {@code value} as one shell word: as is when plain, else in single quotes (a quote inside as '\''). */
    static String quote(String value) {
        if (!value.isEmpty() && PLAIN.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
