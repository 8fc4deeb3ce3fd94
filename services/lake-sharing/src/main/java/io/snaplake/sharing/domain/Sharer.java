package io.snaplake.sharing.domain;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

/** Plan, apply and check: what the CLI's {@code share} commands and the service both run. */
public record Sharer(SharePlanner planner, PlanApplier applier, AccessCheck accessCheck) {

    public Sharer(SharingPolicy policy, Catalog catalog, LakeFormation lakeFormation, String catalogAccountId) {
        this(new SharePlanner(policy, catalog, lakeFormation, catalogAccountId), new PlanApplier(lakeFormation),
                new AccessCheck(catalog, lakeFormation, policy.sensitive()));
    }

    public SharingPolicy policy() {
        return planner.policy();
    }

    /** The plan for {@code clusters} (all of the policy's when empty). */
    public Plan plan(Collection<String> clusters, Map<String, Set<String>> columnsAdded) {
        return planner.plan(clusters, columnsAdded);
    }

    public ApplyResult apply(Plan plan) {
        return applier.apply(plan);
    }

    public AccessReport check(String accountId) {
        return accessCheck.check(accountId);
    }
}
