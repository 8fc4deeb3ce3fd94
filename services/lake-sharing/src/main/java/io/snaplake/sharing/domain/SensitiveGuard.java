package io.snaplake.sharing.domain;


/**
 * The last line of defence: the planner never asks Lake Formation for a grant or a filter that names a
 * sensitive column, or for a tag expression that matches the {@code sensitive} value. A violation is a bug
 * in the planner, so it stops the plan rather than being reported as a policy problem.
 */
final class SensitiveGuard {

    private SensitiveGuard() {
    }

    static void check(Grant grant, SensitiveColumns sensitive) {
        if (grant.resource() instanceof LfResource.TableWithColumns columns) {
            columns.columns().stream().filter(sensitive::isSensitive).findFirst().ifPresent(column -> {
                throw new IllegalStateException("refusing to grant sensitive column " + column + ": " + grant);
            });
        }
        if (grant.resource() instanceof LfResource.Table) {
            throw new IllegalStateException("refusing to grant a whole table by name (its sensitive columns would go with it): " + grant);
        }
        if (grant.resource() instanceof LfResource.TagPolicy tagPolicy
                && tagPolicy.expression().getOrDefault(LfTags.KEY, java.util.List.of()).contains(LfTags.SENSITIVE)) {
            throw new IllegalStateException("refusing a tag grant that matches confidential=sensitive: " + grant);
        }
    }

    static void check(CellsFilter filter, SensitiveColumns sensitive) {
        filter.columns().stream().filter(sensitive::isSensitive).findFirst().ifPresent(column -> {
            throw new IllegalStateException("refusing a data cells filter that includes sensitive column " + column + ": " + filter);
        });
    }
}
