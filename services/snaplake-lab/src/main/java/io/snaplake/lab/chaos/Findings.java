package io.snaplake.lab.chaos;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** What the end-of-run check found: the lines it prints as it goes, and every problem. */
final class Findings {

    private final PrintStream out;
    private final List<String> problems = new ArrayList<>();

    Findings(PrintStream out) {
        this.out = out;
    }

    /** One line of the check's report (a format, as {@link PrintStream#printf}, without the line end). */
    void print(String format, Object... args) {
        out.printf(format + "%n", args);
    }

    void problem(String problem) {
        problems.add(problem);
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    static String abbreviate(String text, int max) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 3) + "...";
    }
}
