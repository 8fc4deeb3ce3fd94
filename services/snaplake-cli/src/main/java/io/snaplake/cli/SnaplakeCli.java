package io.snaplake.cli;

import io.snaplake.cli.bench.CatalogBenchmark;
import io.snaplake.cli.bench.CopyBenchmark;
import io.snaplake.cli.bench.HistoryBenchmark;
import io.snaplake.cli.bench.LatencyProxyCommand;
import io.snaplake.cli.bench.ScheduleBenchmark;
import io.snaplake.cli.chaos.ChaosCommand;
import io.snaplake.cli.demo.DemoCommand;
import io.snaplake.cli.demo.UpCommand;
import io.snaplake.cli.ops.DlqCommand;
import io.snaplake.cli.ops.HistoryCommand;
import io.snaplake.cli.ops.NotifyCommand;
import io.snaplake.cli.ops.ReplayCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code snaplake} command: the local demo, benchmarks and operator commands. */
@Command(name = "snaplake", mixinStandardHelpOptions = true,
        description = "Daily Aurora/RDS snapshots to shared, queryable lake tables.",
        subcommands = {
            DemoCommand.class,
            SnaplakeCli.Bench.class,
            TopicsCommand.class,
            SnapshotRequestCommand.class,
            HistoryCommand.class,
            ReplayCommand.class,
            UpCommand.class,
            NotifyCommand.class,
            DlqCommand.class,
            ShareCommand.class,
            ChaosCommand.class
        })
public final class SnaplakeCli {

    public static void main(String[] args) {
        System.exit(new CommandLine(new SnaplakeCli()).execute(args));
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Benchmarks that print figures (separate from the tests).",
            subcommands = {CopyBenchmark.class, ScheduleBenchmark.class, CatalogBenchmark.class, HistoryBenchmark.class,
                LatencyProxyCommand.class})
    static final class Bench {
    }
}
