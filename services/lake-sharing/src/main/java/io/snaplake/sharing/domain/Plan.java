package io.snaplake.sharing.domain;

import java.util.Comparator;
import java.util.List;

/**
 * What applying the policy would change, in the order it is applied; what each table ends up as; and the
 * problems found comparing the policy with the catalogue (tables or columns it names that do not exist).
 *
 * @param databases the Glue databases the plan converges
 */
public record Plan(List<String> databases, List<Change> changes, List<TableOutcome> outcomes, List<PolicyProblem> problems) {

    public Plan {
        databases = List.copyOf(databases);
        changes = changes.stream().sorted(Comparator.comparingInt(Change::phase)).toList();
        outcomes = List.copyOf(outcomes);
        problems = List.copyOf(problems);
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    public long count(Change.Kind kind) {
        return changes.stream().filter(change -> change.kind() == kind).count();
    }
}
