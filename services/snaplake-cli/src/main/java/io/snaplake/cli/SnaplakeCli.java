package io.snaplake.cli;

import io.snaplake.cli.ops.DlqCommand;
import io.snaplake.cli.ops.HistoryCommand;
import io.snaplake.cli.ops.NotifyCommand;
import io.snaplake.cli.ops.ReplayCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code snaplake} operator command: topics, history, replay, dead letters, failure notices, sharing. */
@Command(name = "snaplake", mixinStandardHelpOptions = true,
        description = "Daily Aurora/RDS snapshots to shared, queryable lake tables: the operator's commands.",
        subcommands = {
            TopicsCommand.class,
            SnapshotRequestCommand.class,
            HistoryCommand.class,
            ReplayCommand.class,
            NotifyCommand.class,
            DlqCommand.class,
            ShareCommand.class
        })
public final class SnaplakeCli {

    public static void main(String[] args) {
        System.exit(run(commandLine(), args));
    }

    /**
     * Runs a command and flushes what it wrote: picocli's writers flush on println only, so a report written
     * with print would otherwise be lost at System.exit.
     */
    public static int run(CommandLine commandLine, String... args) {
        try {
            return commandLine.execute(args);
        } finally {
            commandLine.getOut().flush();
            commandLine.getErr().flush();
        }
    }

    /** The operator commands, for this main and for the lab's, which adds its own to them. */
    public static CommandLine commandLine() {
        return new CommandLine(new SnaplakeCli());
    }
}
