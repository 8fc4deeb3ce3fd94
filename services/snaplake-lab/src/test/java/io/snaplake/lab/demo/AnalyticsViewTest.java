package io.snaplake.lab.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snaplake.lab.demo.AnalyticsView.TableRows;
import io.snaplake.sharing.domain.AccessReport;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.rdsexportwriter.ParquetFileFactory;
import io.snaplake.rdsexportwriter.RdsColumn;
import io.snaplake.rdsexportwriter.RdsColumns;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@link AnalyticsView} on real gzip Parquet files written by the project's export writer
 * ({@link ParquetFileFactory}), in moto's S3, catalogued in moto's Glue as the crawler-runner registers
 * them (data columns, partition key {@code date}, a partition whose location holds the files). The test
 * runs without Hadoop on the class path, as the demo does.
 */
class AnalyticsViewTest {

    private static final String BUCKET = "analytics-view-lake";
    private static final String DATABASE = "analytics_view_orders";
    private static final LocalDate DAY = LocalDate.parse("2026-11-20");
    private static final String CUSTOMERS = "ordersdb_public_customers";
    private static final String LINES = "ordersdb_public_order_lines";
    private static final String CUSTOMERS_DAY = "s3://" + BUCKET + "/lake/orders/ordersdb/public.customers/date=2026-11-20/";

    private static S3Client s3;
    private static GlueClient glue;
    private static AnalyticsView view;

    @BeforeAll
    static void lake() {
        s3 = S3Client.builder().region(Region.US_EAST_1).endpointOverride(LocalInfra.moto().endpoint()).forcePathStyle(true).build();
        glue = GlueClient.builder().region(Region.US_EAST_1).endpointOverride(LocalInfra.moto().endpoint()).build();
        view = new AnalyticsView(glue, s3);
        s3.createBucket(create -> create.bucket(BUCKET));
        glue.createDatabase(create -> create.databaseInput(input -> input.name(DATABASE)));
        // Two files, rows 1-3 and 101-103; the reader goes through them in key order.
        table(CUSTOMERS, CUSTOMERS_DAY, customerColumns(), List.of(
                ParquetFileFactory.parquet("public.customers", customerColumns(), 1, 3),
                ParquetFileFactory.parquet("public.customers", customerColumns(), 101, 3)));
        table(LINES, "s3://" + BUCKET + "/lake/orders/ordersdb/public.order_lines/date=2026-11-20/", RdsColumns.standard(), List.of(
                ParquetFileFactory.parquet("public.order_lines", RdsColumns.standard(), 1, 2)));
    }

    @AfterAll
    static void close() {
        s3.close();
        glue.close();
    }

    @Test
    void showsTheReadableColumnsOnly_inTheTablesOrder_withTheDayAsPartitionKey_acrossFiles() {
        TableRows rows = view.read(DATABASE, CUSTOMERS, DAY, List.of("updated_at", "date", "id", "name"), List.of(), 4);

        // updated_at as the writer writes it: RdsColumns' base day is 20,412 days after 1970-01-01, i.e. 2025-11-20.

        assertThat(rows).isEqualTo(new TableRows(DATABASE, CUSTOMERS, DAY, CUSTOMERS_DAY, 2, List.of("id", "name", "updated_at", "date"),
                List.of(List.of("1", "row 1", "2025-11-19 23:59:59.000", "2026-11-20"),
                        List.of("2", "row 2", "2025-11-19 23:59:58.000", "2026-11-20"),
                        List.of("3", "row 3", "2025-11-19 23:59:57.000", "2026-11-20"),
                        List.of("101", "row 101", "2025-11-19 23:58:19.000", "2026-11-20"))));
    }

    @Test
    void keepsTheRowsTheRowFilterPasses_evenOnAColumnNotShown() {
        TableRows rows = view.read(DATABASE, CUSTOMERS, DAY, List.of("name", "amount"), List.of("id >= 102 and name <> 'row 103'"), 5);

        assertThat(rows.columns()).containsExactly("name", "amount");
        assertThat(rows.rows()).containsExactly(List.of("row 102", "37.74"));
    }

    @Test
    void rowsPassingAnyOfSeveralRowFilters_areShown() {
        TableRows rows = view.read(DATABASE, CUSTOMERS, DAY, List.of("id"), List.of("id = 2", "id > 102"), 5);

        assertThat(rows.rows()).containsExactly(List.of("2"), List.of("103"));
    }

    @Test
    void printsEachSharedTableAsASmallTable_andThePrivateOneAsNotReadable() {
        AccessReport report = new AccessReport("222222222222", List.of(new AccessReport.ReadableTable(DATABASE, CUSTOMERS,
                List.of("id", "name", "amount"), List.of("data cells filter " + DATABASE + "." + CUSTOMERS + "/snaplake_share to 222222222222"),
                List.of())), List.of(), List.of());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        view.print(report, Map.of(DATABASE, DAY), 2, new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo("""

                What account 222222222222 sees in Athena (first 2 rows per table, read from the lake through Glue's table and partition, only the columns and rows Lake Formation gives it):

                  %s.%s  date=2026-11-20  (2 Parquet files in %s)
                    id | name  | amount
                    ---+-------+-------
                    1  | row 1 | 0.37
                    2  | row 2 | 0.74

                  %s.%s: not readable by account 222222222222 (private: no grant gives it any column)
                """.formatted(DATABASE, CUSTOMERS, CUSTOMERS_DAY, DATABASE, LINES));
    }

    @Test
    void namesTheProblem_whenAColumnOrTheDayIsMissing() {
        assertThatThrownBy(() -> view.read(DATABASE, CUSTOMERS, DAY, List.of("id", "phone"), List.of(), 3))
                .hasMessage(DATABASE + "." + CUSTOMERS + " has no column [phone] (its columns: [id, name, email, amount, updated_at],"
                        + " partitioned by [date])");
        assertThatThrownBy(() -> view.read(DATABASE, CUSTOMERS, DAY.plusDays(1), List.of("id"), List.of(), 3))
                .hasMessage(DATABASE + "." + CUSTOMERS + " has no partition date=2026-11-21 in Glue");
        assertThatThrownBy(() -> view.read(DATABASE, CUSTOMERS, DAY, List.of("id"), List.of("id in (1, 2)"), 3))
                .hasMessageContaining("row filter 'id in (1, 2)': 'id in (1, 2)' is not evaluated here");
        assertThatThrownBy(() -> view.read(DATABASE, CUSTOMERS, DAY, List.of("id"), List.of("name > 3"), 3))
                .hasMessage("row filter 'name > 3' compares column name with a number, but its value 'row 1' is not one");
    }

    @Test
    void readsWithoutHadoopOnTheClassPath() {
        assertThatThrownBy(() -> Class.forName("org.apache.hadoop.conf.Configuration")).isInstanceOf(ClassNotFoundException.class);
    }

    /** The customers table: the standard columns and an {@code email} after {@code name}, as the demo's export has it. */
    private static List<RdsColumn> customerColumns() {
        List<RdsColumn> columns = new ArrayList<>(RdsColumns.standard());
        columns.add(2, RdsColumns.standard().get(1).renamed("email"));
        return columns;
    }

    private static void table(String name, String dayLocation, List<RdsColumn> columns, List<byte[]> files) {
        String prefix = dayLocation.substring(("s3://" + BUCKET + "/").length());
        for (int i = 0; i < files.size(); i++) {
            String key = prefix + "part-0000" + i + "-" + name + ".gz.parquet";
            s3.putObject(put -> put.bucket(BUCKET).key(key), RequestBody.fromBytes(files.get(i)));
        }
        s3.putObject(put -> put.bucket(BUCKET).key(prefix + "_SUCCESS"), RequestBody.empty());
        List<Column> glueColumns = columns.stream().map(column -> Column.builder().name(column.name()).type(hiveType(column.name())).build())
                .toList();
        glue.createTable(create -> create.databaseName(DATABASE).tableInput(table -> table.name(name)
                .partitionKeys(Column.builder().name("date").type("string").build())
                .storageDescriptor(sd -> sd.columns(glueColumns).location(dayLocation.substring(0, dayLocation.indexOf("date="))))));
        glue.createPartition(create -> create.databaseName(DATABASE).tableName(name).partitionInput(partition -> partition
                .values(DAY.toString()).storageDescriptor(sd -> sd.columns(glueColumns).location(dayLocation))));
    }

    private static String hiveType(String column) {
        return switch (column) {
            case "id" -> "bigint";
            case "amount" -> "decimal(12,2)";
            case "updated_at" -> "timestamp";
            default -> "string";
        };
    }
}
