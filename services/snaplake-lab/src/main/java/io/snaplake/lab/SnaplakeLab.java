package io.snaplake.lab;

import io.snaplake.cli.SnaplakeCli;
import io.snaplake.lab.bench.CatalogBenchmark;
import io.snaplake.lab.bench.CopyBenchmark;
import io.snaplake.lab.bench.HistoryBenchmark;
import io.snaplake.lab.bench.LatencyProxyCommand;
import io.snaplake.lab.bench.ScheduleBenchmark;
import io.snaplake.lab.chaos.ChaosCommand;
import io.snaplake.lab.demo.DemoCommand;
import io.snaplake.lab.demo.UpCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./snaplake}: the operator commands plus the lab's (demo, up, bench, chaos), which start local
 * backends from the test kit. Never deployed: the operator CLI's image carries only {@link SnaplakeCli}.
 */
public final class SnaplakeLab {

    private SnaplakeLab() {
    }

    public static void main(String[] args) {
        System.exit(SnaplakeCli.run(commandLine(), args));
    }

    public static CommandLine commandLine() {
        return SnaplakeCli.commandLine()
                .addSubcommand(new DemoCommand())
                .addSubcommand(new UpCommand())
                .addSubcommand(new Bench())
                .addSubcommand(new ChaosCommand());
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Benchmarks that print figures (separate from the tests).",
            subcommands = {CopyBenchmark.class, ScheduleBenchmark.class, CatalogBenchmark.class, HistoryBenchmark.class,
                LatencyProxyCommand.class})
    static final class Bench {
    }
}
