package io.snaplake.cli;

import io.snaplake.cli.bench.CopyBenchmark;
import io.snaplake.cli.bench.ScheduleBenchmark;
import io.snaplake.cli.demo.DemoCommand;
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
            ShareCommand.class
        })
public final class SnaplakeCli {

    public static void main(String[] args) {
        System.exit(new CommandLine(new SnaplakeCli()).execute(args));
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Benchmarks that print figures (separate from the tests).",
            subcommands = {CopyBenchmark.class, ScheduleBenchmark.class})
    static final class Bench {
    }
}
