package io.snaplake.sharing.domain;

import java.util.List;

/**
 * What applying a plan did.
 *
 * @param plan     the plan applied
 * @param failures what Lake Formation refused (after retries), entry by entry; empty when all of it applied
 */
public record ApplyResult(Plan plan, List<EntryFailure> failures) {

    public ApplyResult {
        failures = List.copyOf(failures);
    }

    public boolean complete() {
        return failures.isEmpty();
    }
}
