package io.snaplake.lfsharer.aws;

import io.snaplake.lfsharer.domain.RecipientCatalog;
import io.snaplake.sharing.aws.AwsRetry;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.AlreadyExistsException;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.Table;

/** {@link RecipientCatalog} over Glue, with a client holding the recipient account's credentials. */
public record SdkRecipientCatalog(GlueClient glue, AwsRetry retry) implements RecipientCatalog {

    @Override
    public boolean databaseExists(String database) {
        return retry.callIfFound("glue:GetDatabase", () -> glue.getDatabase(get -> get.name(database)), EntityNotFoundException.class).isPresent();
    }

    @Override
    public void createDatabase(String database) {
        retry.create("glue:CreateDatabase", () -> glue.createDatabase(create -> create.databaseInput(input -> input.name(database)
                .description("Resource links to the tables snaplake shares with this account"))), AlreadyExistsException.class);
    }

    @Override
    public Set<String> tables(String database) {
        return retry.call("glue:GetTables", () -> glue.getTablesPaginator(get -> get.databaseName(database)).stream()
                .flatMap(page -> page.tableList().stream()).map(Table::name).collect(Collectors.toSet()));
    }

    @Override
    public void createLink(String database, String name, String targetAccount, String targetDatabase, String targetTable) {
        retry.create("glue:CreateTable", () -> glue.createTable(create -> create.databaseName(database).tableInput(input -> input
                .name(name).targetTable(target -> target.catalogId(targetAccount).databaseName(targetDatabase).name(targetTable)))),
                AlreadyExistsException.class);
    }
}
