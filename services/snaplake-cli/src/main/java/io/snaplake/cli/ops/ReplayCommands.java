package io.snaplake.cli.ops;

import io.snaplake.events.SnapshotRef;
import io.snaplake.pipeline.Stage;
import java.time.LocalDate;

/** The exact command an operator runs to re-run a failed stage of one cluster's day. */
public final class ReplayCommands {

    private ReplayCommands() {
    }

    public static String forFailure(SnapshotRef snapshot, Stage stage) {
        if (Flow.inputOf(stage).isEmpty()) {
            // The first stage has no input topic to replay from: ask it for the snapshot again.
            return "./snaplake request-snapshot --snapshot-arn " + snapshot.getSnapshotArn();
        }
        return "./snaplake replay --date " + snapshot.getSnapshotDate() + " --cluster " + snapshot.getClusterId()
                + " --from " + stage.serviceName();
    }

    public static String forDay(LocalDate day, String cluster, Stage stage) {
        return "./snaplake replay --date " + day + " --cluster " + cluster + " --from " + stage.serviceName();
    }
}
