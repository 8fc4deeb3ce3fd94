package io.snaplake.sharing.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes a plan's changes, phase by phase (see {@link Change#phase()}); grants and revokes of one phase go in
 * batch calls. A refused entry does not stop the rest: it is collected, and the result says what stayed
 * undone; applying again retries exactly that.
 */
public final class PlanApplier {

    private final LakeFormation lakeFormation;

    public PlanApplier(LakeFormation lakeFormation) {
        this.lakeFormation = lakeFormation;
    }

    public ApplyResult apply(Plan plan) {
        List<EntryFailure> failures = new ArrayList<>();
        List<Grant> grants = new ArrayList<>();
        List<Grant> revokes = new ArrayList<>();
        int phase = -1;
        for (Change change : plan.changes()) {
            if (change.phase() != phase) {
                flush(grants, revokes, failures);
                phase = change.phase();
            }
            if (change instanceof Change.CreateTag create) {
                lakeFormation.createTag(create.key(), create.values());
            } else if (change instanceof Change.AddTagValues add) {
                lakeFormation.addTagValues(add.key(), add.values());
            } else if (change instanceof Change.AssignTag assign) {
                failures.addAll(lakeFormation.addTag(assign.target(), assign.key(), assign.value()));
            } else if (change instanceof Change.RemoveTag remove) {
                failures.addAll(lakeFormation.removeTag(remove.target(), remove.key(), remove.value()));
            } else if (change instanceof Change.CreateFilter create) {
                lakeFormation.createFilter(create.filter());
            } else if (change instanceof Change.UpdateFilter update) {
                lakeFormation.updateFilter(update.filter());
            } else if (change instanceof Change.DeleteFilter delete) {
                lakeFormation.deleteFilter(delete.filter().database(), delete.filter().table(), delete.filter().name());
            } else if (change instanceof Change.GrantPermission grant) {
                grants.add(grant.grant());
            } else if (change instanceof Change.RevokePermission revoke) {
                revokes.add(revoke.grant());
            }
        }
        flush(grants, revokes, failures);
        return new ApplyResult(plan, failures);
    }

    private void flush(List<Grant> grants, List<Grant> revokes, List<EntryFailure> failures) {
        if (!revokes.isEmpty()) {
            failures.addAll(lakeFormation.batchRevoke(List.copyOf(revokes)));
            revokes.clear();
        }
        if (!grants.isEmpty()) {
            failures.addAll(lakeFormation.batchGrant(List.copyOf(grants)));
            grants.clear();
        }
    }
}
