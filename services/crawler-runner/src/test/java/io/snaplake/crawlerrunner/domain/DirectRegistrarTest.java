package io.snaplake.crawlerrunner.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.snaplake.crawlerrunner.aws.MotoCatalog;
import io.snaplake.crawlerrunner.domain.CatalogRequest.CopiedTable;
import io.snaplake.crawlerrunner.domain.TableOutcome.PartitionStatus;
import io.snaplake.crawlerrunner.domain.TableOutcome.TableStatus;
import io.snaplake.crawlerrunner.domain.TableOutcome.TypeChange;
import io.snaplake.rdsexportwriter.RdsColumn;
import io.snaplake.rdsexportwriter.RdsColumns;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Partition;
import software.amazon.awssdk.services.glue.model.Table;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Direct registration against moto's Glue and S3, on real Parquet files; each test uses a cluster (a database) of its own. */
class DirectRegistrarTest {

    private static final String LAKE = "registrar-lake";
    private static final LocalDate DAY = LocalDate.parse("2026-11-20");
    private static final List<Column> STANDARD = List.of(new Column("id", "bigint"), new Column("name", "string"),
            new Column("amount", "decimal(12,2)"), new Column("updated_at", "timestamp"));

    private final DirectRegistrar registrar = MotoCatalog.registrar();
    private final GlueClient glue = MotoCatalog.glue();

    @Test
    void createsTheDatabaseTheTableAndTheDaysPartition_fromTheFilesFooters() {
        String location = lakeFiles("create", "ordersdb", "public_orders", "date=2026-11-20/", RdsColumns.standard(), 3);

        CatalogReport report = registrar.register(request("create", "exp-1", copied("ordersdb", "public.orders", location)));

        String tableLocation = "s3://" + LAKE + "/raw/create/ordersdb/public_orders/";
        assertThat(report).isEqualTo(new CatalogReport("create", List.of(new TableOutcome("ordersdb", "public.orders",
                "ordersdb_public_orders", TableStatus.CREATED, PartitionStatus.ADDED, tableLocation, location, STANDARD,
                List.of(), List.of(), List.of(), null, null))));
        Table table = glue.getTable(get -> get.databaseName("create").name("ordersdb_public_orders")).table();
        assertThat(table.storageDescriptor().location()).isEqualTo(tableLocation);
        assertThat(table.storageDescriptor().inputFormat()).isEqualTo("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat");
        assertThat(table.storageDescriptor().outputFormat()).isEqualTo("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat");
        assertThat(table.storageDescriptor().serdeInfo().serializationLibrary())
                .isEqualTo("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
        assertThat(table.partitionKeys()).extracting(k -> k.name() + " " + k.type()).containsExactly("date string");
        assertThat(table.parameters()).containsEntry("classification", "parquet").containsEntry("EXTERNAL", "TRUE");
        assertThat(table.tableType()).isEqualTo("EXTERNAL_TABLE");
        assertThat(columns(table.storageDescriptor().columns())).isEqualTo(STANDARD);
        Partition partition = partition("create", "ordersdb_public_orders", "2026-11-20");
        assertThat(partition.storageDescriptor().location()).isEqualTo(location);
        assertThat(partition.parameters()).containsEntry("snaplake.exportTaskId", "exp-1")
                .containsEntry("snaplake.snapshotArn", arn("create", "03-10"))
                .containsEntry("snaplake.snapshotCreatedAt", String.valueOf(Instant.parse("2026-11-20T03:10:00Z").toEpochMilli()));
    }

    @Test
    void reportsTheSameOutcome_whenTheSameExportIsRegisteredAgain_andCreatesNothingTwice() {
        String location = lakeFiles("replay", "ordersdb", "public_orders", "date=2026-11-20/exp-1/", RdsColumns.standard(), 2);
        CatalogRequest request = request("replay", "exp-1", copied("ordersdb", "public.orders", location));
        CatalogReport first = registrar.register(request);
        int versions = glue.getTableVersions(get -> get.databaseName("replay").tableName("ordersdb_public_orders")).tableVersions().size();

        CatalogReport again = registrar.register(request);

        assertThat(again).isEqualTo(first);
        assertThat(first.tables().get(0).status()).isEqualTo(TableStatus.CREATED);
        assertThat(first.tables().get(0).tableLocation()).isEqualTo("s3://" + LAKE + "/raw/replay/ordersdb/public_orders/");
        assertThat(glue.getTableVersions(get -> get.databaseName("replay").tableName("ordersdb_public_orders")).tableVersions())
                .hasSize(versions);
        assertThat(glue.getPartitions(get -> get.databaseName("replay").tableName("ordersdb_public_orders")).partitions()).hasSize(1);
    }

    @Test
    void addsNewColumns_recordsTypeChanges_andKeepsMissingColumns_whileOldPartitionsKeepTheirOwnColumns() {
        String day1 = lakeFiles("evolve", "ordersdb", "public_orders", "date=2026-11-19/", RdsColumns.standard(), 1);
        registrar.register(request("evolve", LocalDate.parse("2026-11-19"), "exp-19", copied("ordersdb", "public.orders", day1)));
        List<RdsColumn> changed = new ArrayList<>(RdsColumns.standard());
        changed.remove(1); // "name" is gone from the day's files
        changed.set(0, new RdsColumn("id", "numeric", "binary (DECIMAL(20,0))",
                Types.optional(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.decimalType(0, 18)).named("id"), id -> id));
        changed.add(RdsColumns.standard().get(1).renamed("email"));
        String day2 = lakeFiles("evolve", "ordersdb", "public_orders", "date=2026-11-20/", changed, 2);

        CatalogReport report = registrar.register(request("evolve", "exp-20", copied("ordersdb", "public.orders", day2)));

        List<Column> dayColumns = List.of(new Column("id", "decimal(18,0)"), new Column("amount", "decimal(12,2)"),
                new Column("updated_at", "timestamp"), new Column("email", "string"));
        assertThat(report.tables()).containsExactly(new TableOutcome("ordersdb", "public.orders", "ordersdb_public_orders",
                TableStatus.UPDATED, PartitionStatus.ADDED, "s3://" + LAKE + "/raw/evolve/ordersdb/public_orders/", day2, dayColumns,
                List.of("email"), List.of(new TypeChange("id", "bigint", "decimal(18,0)")), List.of("name"), null, null));
        Table table = glue.getTable(get -> get.databaseName("evolve").name("ordersdb_public_orders")).table();
        assertThat(columns(table.storageDescriptor().columns())).containsExactly(new Column("id", "decimal(18,0)"),
                new Column("name", "string"), new Column("amount", "decimal(12,2)"), new Column("updated_at", "timestamp"),
                new Column("email", "string"));
        assertThat(columns(partition("evolve", "ordersdb_public_orders", "2026-11-19").storageDescriptor().columns())).isEqualTo(STANDARD);
        Partition newest = partition("evolve", "ordersdb_public_orders", "2026-11-20");
        assertThat(columns(newest.storageDescriptor().columns())).isEqualTo(dayColumns);
        assertThat(newest.parameters()).containsEntry("snaplake.typeChanges", "id:bigint->decimal(18,0)")
                .containsEntry("snaplake.columnsAdded", "email").containsEntry("snaplake.columnsMissing", "name");
    }

    @Test
    void failsTheTable_namingTheFileAndTheColumn_whenTheDaysFilesDisagree_andRegistersNoPartition() {
        String location = lakeFiles("disagree", "ordersdb", "public_orders", "date=2026-11-20/", RdsColumns.standard(), 1);
        List<RdsColumn> other = new ArrayList<>(RdsColumns.standard());
        other.set(1, new RdsColumn("name", "integer", "int32", Types.optional(PrimitiveTypeName.INT32).named("name"), id -> (int) id));
        String key = MotoCatalog.writeFiles(LAKE, "raw/disagree/ordersdb/public_orders/date=2026-11-20/z-", other, 1).get(0);

        CatalogReport report = registrar.register(request("disagree", "exp-1", copied("ordersdb", "public.orders", location)));

        assertThat(report.tables()).containsExactly(new TableOutcome("ordersdb", "public.orders", "ordersdb_public_orders",
                TableStatus.FAILED, PartitionStatus.NOT_REGISTERED, "s3://" + LAKE + "/raw/disagree/ordersdb/public_orders/", location,
                List.of(), List.of(), List.of(), List.of(), "file s3://" + LAKE + "/" + key + ": column name is int but s3://" + LAKE
                        + "/raw/disagree/ordersdb/public_orders/date=2026-11-20/1_part-00000-0.gz.parquet has it as string; "
                        + "one partition cannot read both, so the day is not registered", null));
        assertThat(report.complete()).isFalse();
        assertThat(tableExists("disagree", "ordersdb_public_orders")).isFalse();
    }

    @Test
    void reportsTablesThatWouldLandOnOneGlueName_andMergesNeither() {
        String upper = lakeFiles("collide", "ordersdb", "Public_Orders", "date=2026-11-20/", RdsColumns.standard(), 1);
        String lower = lakeFiles("collide", "ordersdb", "public_orders", "date=2026-11-20/", RdsColumns.standard(), 1);

        CatalogReport report = registrar.register(request("collide", "exp-1", copied("ordersdb", "Public.Orders", upper),
                copied("ordersdb", "public.orders", lower)));

        String message = "Glue table name ordersdb_public_orders collides: ordersdb.Public.Orders (s3://" + LAKE
                + "/raw/collide/ordersdb/Public_Orders/), ordersdb.public.orders (s3://" + LAKE
                + "/raw/collide/ordersdb/public_orders/) would land on one table; not merged";
        assertThat(report.tables()).extracting(TableOutcome::status, TableOutcome::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(TableStatus.FAILED, message), org.assertj.core.groups.Tuple.tuple(TableStatus.FAILED, message));
        assertThat(tableExists("collide", "ordersdb_public_orders")).isFalse();
    }

    @Test
    void cataloguesTheCopiedTables_andReportsTheOthersAsNotCopied() {
        String location = lakeFiles("partial", "ordersdb", "public_orders", "date=2026-11-20/", RdsColumns.standard(), 1);

        CatalogReport report = registrar.register(request("partial", "exp-1", copied("ordersdb", "public.orders", location),
                new CopiedTable("billingdb", "public.audit_log", false, null, "not copied (SKIPPED_BY_EXPORT)")));

        assertThat(report.tables()).extracting(TableOutcome::status, TableOutcome::partitionStatus, TableOutcome::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(TableStatus.CREATED, PartitionStatus.ADDED, null),
                org.assertj.core.groups.Tuple.tuple(TableStatus.NOT_COPIED, PartitionStatus.NOT_REGISTERED, "not copied (SKIPPED_BY_EXPORT)"));
        assertThat(report.complete()).isFalse();
    }

    @Test
    void switchesTheDayToALaterExportOfTheSameSnapshot_thenDeletesTheReplacedFiles_andKeepsANewerSnapshotAgainstAnOlderOne() {
        String first = lakeFiles("switch", "ordersdb", "public_orders", "date=2026-11-20/exp-a/", RdsColumns.standard(), 2);
        registrar.register(request("switch", "exp-a", copied("ordersdb", "public.orders", first)));
        String second = lakeFiles("switch", "ordersdb", "public_orders", "date=2026-11-20/exp-b/", RdsColumns.standard(), 1);

        CatalogReport forced = registrar.register(request("switch", "exp-b", copied("ordersdb", "public.orders", second)));

        assertThat(forced.tables().get(0).partitionStatus()).isEqualTo(PartitionStatus.UPDATED);
        assertThat(forced.tables().get(0).message()).isEqualTo("date=2026-11-20 switched from " + first + " (export exp-a) to " + second
                + "; 2 object(s) of the replaced export deleted");
        assertThat(partition("switch", "ordersdb_public_orders", "2026-11-20").storageDescriptor().location()).isEqualTo(second);
        assertThat(keys("raw/switch/ordersdb/public_orders/")).containsExactly(
                "raw/switch/ordersdb/public_orders/date=2026-11-20/exp-b/1_part-00000-0.gz.parquet");

        String older = lakeFiles("switch", "ordersdb", "public_orders", "date=2026-11-20/exp-old/", RdsColumns.standard(), 1);
        CatalogRequest olderSnapshot = new CatalogRequest("switch", "rds:switch-2026-11-20-01-00", arn("switch", "01-00"),
                Instant.parse("2026-11-20T01:00:00Z").toEpochMilli(), DAY, "exp-old", LAKE, List.of(copied("ordersdb", "public.orders", older)));

        CatalogReport kept = registrar.register(olderSnapshot);

        assertThat(kept.tables().get(0)).isEqualTo(new TableOutcome("ordersdb", "public.orders", "ordersdb_public_orders",
                TableStatus.UNCHANGED, PartitionStatus.ALREADY_PRESENT, "s3://" + LAKE + "/raw/switch/ordersdb/public_orders/", second,
                STANDARD, List.of(), List.of(), List.of(), "date=2026-11-20 stays at " + second + " (export exp-b of snapshot "
                        + "rds:switch-2026-11-20-03-10, newer than this export's snapshot rds:switch-2026-11-20-01-00); " + older
                        + " not registered", null));
        assertThat(partition("switch", "ordersdb_public_orders", "2026-11-20").storageDescriptor().location()).isEqualTo(second);
    }

    @Test
    void failsTheTable_namingTheMissingPermission_whenGlueDeniesCreateTable() {
        String location = lakeFiles("denied", "ordersdb", "public_orders", "date=2026-11-20/", RdsColumns.standard(), 1);
        // moto here enforces no IAM: the real Glue catalog on moto, with CreateTable answered as AWS answers a role without
        // glue:CreateTable (AwsCallsTest shows that AWS's AccessDeniedException becomes this exception).
        Catalog denying = new DelegatingCatalog(MotoCatalog.catalog()) {
            @Override
            public boolean createTable(String database, GlueTable table) {
                throw new CatalogAccessDeniedException("glue:CreateTable", "User: arn:aws:sts::123456789012:assumed-role/crawler-runner/x "
                        + "is not authorized to perform: glue:CreateTable", null);
            }
        };

        CatalogReport report = new DirectRegistrar(denying, MotoCatalog.lake(), "{cluster}", java.util.concurrent.ForkJoinPool.commonPool())
                .register(request("denied", "exp-1", copied("ordersdb", "public.orders", location)));

        assertThat(report.tables()).containsExactly(new TableOutcome("ordersdb", "public.orders", "ordersdb_public_orders",
                TableStatus.FAILED, PartitionStatus.NOT_REGISTERED, "s3://" + LAKE + "/raw/denied/ordersdb/public_orders/", location,
                List.of(), List.of(), List.of(), List.of(), "access denied: the service's role lacks glue:CreateTable (User: "
                        + "arn:aws:sts::123456789012:assumed-role/crawler-runner/x is not authorized to perform: glue:CreateTable)",
                "glue:CreateTable"));
    }

    private String lakeFiles(String cluster, String database, String folder, String day, List<RdsColumn> columns, int files) {
        String prefix = "raw/" + cluster + "/" + database + "/" + folder + "/" + day;
        MotoCatalog.writeFiles(LAKE, prefix, columns, files);
        return "s3://" + LAKE + "/" + prefix;
    }

    private static CopiedTable copied(String database, String table, String location) {
        return new CopiedTable(database, table, true, location, null);
    }

    private static CatalogRequest request(String cluster, String exportTaskId, CopiedTable... tables) {
        return request(cluster, DAY, exportTaskId, tables);
    }

    private static CatalogRequest request(String cluster, LocalDate day, String exportTaskId, CopiedTable... tables) {
        return new CatalogRequest(cluster, "rds:" + cluster + "-" + day + "-03-10", arn(cluster, "03-10"),
                Instant.parse(day + "T03:10:00Z").toEpochMilli(), day, exportTaskId, LAKE, List.of(tables));
    }

    private static String arn(String cluster, String time) {
        return "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:" + cluster + "-2026-11-20-" + time;
    }

    private Partition partition(String database, String table, String date) {
        return glue.getPartition(get -> get.databaseName(database).tableName(table).partitionValues(date)).partition();
    }

    private static List<Column> columns(List<software.amazon.awssdk.services.glue.model.Column> columns) {
        return columns.stream().map(c -> new Column(c.name(), c.type())).toList();
    }

    private static List<String> keys(String prefix) {
        try (var s3 = MotoCatalog.s3()) {
            return s3.listObjectsV2Paginator(list -> list.bucket(LAKE).prefix(prefix)).contents().stream().map(S3Object::key).toList();
        }
    }

    private boolean tableExists(String database, String table) {
        try {
            glue.getTable(get -> get.databaseName(database).name(table));
            return true;
        } catch (software.amazon.awssdk.services.glue.model.EntityNotFoundException e) {
            return false;
        }
    }
}
