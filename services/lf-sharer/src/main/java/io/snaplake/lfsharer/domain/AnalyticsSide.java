package io.snaplake.lfsharer.domain;

import io.snaplake.sharing.domain.TableOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The analytics account's side of a share, done from a role in that account so that its Athena sees the
 * shared tables without a console step: accept the catalogue account's pending AWS RAM invitations (no other
 * account's), and create in its own Glue catalogue a resource link for each shared table that has none yet.
 *
 * @param catalogAccountId the account whose Glue catalogue is shared (the sharer's own)
 */
public record AnalyticsSide(String catalogAccountId, ShareInvitations invitations, RecipientCatalog catalog) {

    /**
     * @param glueDatabase the shared Glue database; its links go into a database of the same name in the recipient's catalogue
     * @param outcomes     the tables once the plan is applied: links are made for those shared whole or through a filter
     */
    public Result connect(String glueDatabase, List<TableOutcome> outcomes) {
        List<String> accepted = new ArrayList<>();
        for (ShareInvitations.Invitation invitation : invitations.pending()) {
            if (invitation.senderAccountId().equals(catalogAccountId)) {
                invitations.accept(invitation.arn());
                accepted.add(invitation.arn());
            }
        }
        List<String> shared = outcomes.stream()
                .filter(outcome -> outcome.database().equals(glueDatabase) && outcome.sharing() != TableOutcome.Sharing.PRIVATE)
                .map(TableOutcome::table).sorted().toList();
        List<String> created = new ArrayList<>();
        if (!shared.isEmpty() && !catalog.databaseExists(glueDatabase)) {
            catalog.createDatabase(glueDatabase);
        }
        Set<String> present = shared.isEmpty() ? Set.of() : catalog.tables(glueDatabase);
        for (String table : shared) {
            if (!present.contains(table)) {
                catalog.createLink(glueDatabase, table, catalogAccountId, glueDatabase, table);
                created.add(glueDatabase + "." + table);
            }
        }
        return new Result(accepted, created, shared.stream().filter(present::contains).map(table -> glueDatabase + "." + table).toList());
    }

    /**
     * @param invitationsAccepted the invitations accepted now
     * @param linksCreated        resource links created now ({@code database.table})
     * @param linksPresent        shared tables whose link was already there
     */
    public record Result(List<String> invitationsAccepted, List<String> linksCreated, List<String> linksPresent) {
        public Result {
            invitationsAccepted = List.copyOf(invitationsAccepted);
            linksCreated = List.copyOf(linksCreated);
            linksPresent = List.copyOf(linksPresent);
        }
    }
}
