package io.snaplake.lab.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The copy benchmark's results: each printed as it comes, the measured ones kept for the tables and ratios at the end. */
final class CopyResults {

    private final List<CopyResult> results = new ArrayList<>();

    /** Prints one result's line. */
    static CopyResult print(CopyResult result) {
        System.out.printf(Locale.ROOT, "  %-10s %,7d objects in %6.1f s  %7.1f objects/s  %6.3f CPU s/1,000 objects  (%s)%n",
                result.engine(), result.objects(), result.seconds(), result.objectsPerSecond(), result.cpuPerThousand(), result.note());
        return result;
    }

    /** Keeps a measured result for the tables and ratios. */
    void add(CopyResult result) {
        results.add(result);
    }

    /** A Markdown table of one server's results. */
    void printTable(String server) {
        System.out.println("| S3 endpoint | engine | objects | seconds | objects/s | client CPU s / 1,000 objects |");
        System.out.println("|---|---|---|---|---|---|");
        for (CopyResult result : results.stream().filter(r -> r.endpoint().equals(server)).toList()) {
            System.out.printf(Locale.ROOT, "| %s | %s | %,d | %.1f | %.1f | %.3f |%n", result.scenario(), result.engine(),
                    result.objects(), result.seconds(), result.objectsPerSecond(), result.cpuPerThousand());
        }
        System.out.println();
    }

    double rate(String server, String engine, String scenario) {
        return result(server, engine, scenario).objectsPerSecond();
    }

    CopyResult result(String server, String engine, String scenario) {
        return results.stream().filter(r -> r.endpoint().equals(server) && r.engine().equals(engine) && r.scenario().equals(scenario))
                .findFirst().orElseThrow();
    }

    /** The fastest rate of any engine against {@code server} in {@code scenario}. */
    double fastest(String server, String scenario) {
        return results.stream().filter(r -> r.endpoint().equals(server) && r.scenario().equals(scenario))
                .mapToDouble(CopyResult::objectsPerSecond).max().orElse(0);
    }

    static <T extends Comparable<T>> T median(List<T> values) {
        List<T> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
