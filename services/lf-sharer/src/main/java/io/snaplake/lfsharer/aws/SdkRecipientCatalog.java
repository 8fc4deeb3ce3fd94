package io.snaplake.lfsharer.aws;

import io.snaplake.lfsharer.recipient.RecipientCatalog;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.AlreadyExistsException;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.Table;

/** {@link RecipientCatalog} over Glue, with a client holding the recipient account's credentials. */
public final class SdkRecipientCatalog implements RecipientCatalog {

    private final GlueClient glue;
    private final AwsRetry retry;

    public SdkRecipientCatalog(GlueClient glue, AwsRetry retry) {
        this.glue = glue;
        this.retry = retry;
    }

    @Override
    public boolean databaseExists(String database) {
        try {
            retry.call("glue:GetDatabase", () -> glue.getDatabase(get -> get.name(database)));
            return true;
        } catch (EntityNotFoundException e) {
            return false;
        }
    }

    @Override
    public void createDatabase(String database) {
        try {
            retry.run("glue:CreateDatabase", () -> glue.createDatabase(create -> create.databaseInput(input -> input.name(database)
                    .description("Resource links to the tables snaplake shares with this account"))));
        } catch (AlreadyExistsException raced) {
            // another replica created it first: the outcome is the same
        }
    }

    @Override
    public Set<String> tables(String database) {
        return retry.call("glue:GetTables", () -> glue.getTablesPaginator(get -> get.databaseName(database)).stream()
                .flatMap(page -> page.tableList().stream()).map(Table::name).collect(Collectors.toSet()));
    }

    @Override
    public void createLink(String database, String name, String targetAccount, String targetDatabase, String targetTable) {
        try {
            retry.run("glue:CreateTable", () -> glue.createTable(create -> create.databaseName(database).tableInput(input -> input
                    .name(name).targetTable(target -> target.catalogId(targetAccount).databaseName(targetDatabase).name(targetTable)))));
        } catch (AlreadyExistsException raced) {
            // another replica linked it first
        }
    }
}
