package io.snaplake.sharing.domain;

import java.util.Locale;
import java.util.stream.Collectors;

/** Prints a plan the way {@code terraform plan} does: one line per change, then the outcome per table and a count. */
public final class PlanPrinter {

    /** Starts the lf-sharer's log entry of an applied plan; the demo finds the plan in the service's log by it. */
    public static final String APPLIED_PLAN = "Applied the sharing plan for cluster ";

    private PlanPrinter() {
    }

    public static String print(Plan plan) {
        StringBuilder out = new StringBuilder();
        out.append("Lake Formation plan for Glue database(s) ").append(String.join(", ", plan.databases())).append('\n');
        if (!plan.problems().isEmpty()) {
            out.append("\nProblems (the policy does not match the catalogue):\n");
            plan.problems().forEach(problem -> out.append("  ! ").append(problem).append('\n'));
        }
        if (plan.isEmpty()) {
            out.append("\nNo changes. Lake Formation matches the policy.\n");
        } else {
            out.append('\n');
            plan.changes().forEach(change -> out.append("  ").append(change.kind().symbol()).append(' ').append(change.describe()).append('\n'));
        }
        out.append("\nTables once applied:\n");
        for (TableOutcome outcome : plan.outcomes()) {
            out.append("  ").append(outcome.database()).append('.').append(outcome.table()).append(": ");
            switch (outcome.sharing()) {
                case WHOLE -> out.append("shared whole ").append(outcome.columns());
                case FILTERED -> out.append("shared through filter ").append(outcome.filterName().orElse("")).append(' ').append(outcome.columns());
                case PRIVATE -> out.append("private");
            }
            if (!outcome.heldBack().isEmpty()) {
                out.append(", held back: ").append(outcome.heldBack().stream()
                        .map(held -> held.column() + " (" + held.reason().name().toLowerCase(Locale.ROOT) + ")")
                        .collect(Collectors.joining(", ")));
            }
            out.append('\n');
        }
        out.append("\nPlan: ").append(plan.count(Change.Kind.ADD)).append(" to add, ").append(plan.count(Change.Kind.CHANGE))
                .append(" to change, ").append(plan.count(Change.Kind.DESTROY)).append(" to destroy.\n");
        return out.toString();
    }
}
