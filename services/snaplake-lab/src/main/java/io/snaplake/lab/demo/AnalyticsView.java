package io.snaplake.lab.demo;

import io.snaplake.sharing.domain.AccessReport;
import io.snaplake.sharing.domain.AccessReport.ReadableTable;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.Partition;
import software.amazon.awssdk.services.glue.model.Table;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The first rows of a shared table as the analytics account would see them in Athena: read from the lake
 * through the Glue table's definition (its columns and its {@code date} partition key) and the day's
 * partition (GetPartition, its location, the Parquet files there), only the columns Lake Formation lets the
 * account read, and only the rows its row filter passes. moto's Athena runs no SQL, so the demo reads the
 * files itself, the way Athena's engine would.
 */
final class AnalyticsView {

    static final String PARTITION_KEY = "date";

    private final GlueClient glue;
    private final S3Client s3;

    AnalyticsView(GlueClient glue, S3Client s3) {
        this.glue = glue;
        this.s3 = s3;
    }

    /**
     * What a query of a table's day shows.
     *
     * @param location the partition's s3:// location
     * @param files    the Parquet files there
     * @param columns  the columns shown, in the table's order
     * @param rows     the rows read, values as Athena shows them (null for NULL)
     */
    record TableRows(String database, String table, LocalDate day, String location, int files, List<String> columns,
            List<List<String>> rows) {

        TableRows {
            columns = List.copyOf(columns);
            rows = List.copyOf(rows);
        }
    }

    /**
     * Reads up to {@code limit} rows of {@code database.table}'s partition {@code date=day}, the columns in
     * {@code readable} only (data columns and the partition key), the rows passing any of {@code rowFilters}
     * (all rows when empty, as the access check reports them).
     */
    TableRows read(String database, String table, LocalDate day, List<String> readable, List<String> rowFilters, int limit) {
        Table definition = glue.getTable(get -> get.databaseName(database).name(table)).table();
        List<String> dataColumns = definition.storageDescriptor().columns().stream().map(Column::name).map(AnalyticsView::lower).toList();
        List<String> partitionKeys = definition.partitionKeys().stream().map(Column::name).map(AnalyticsView::lower).toList();
        if (!partitionKeys.equals(List.of(PARTITION_KEY))) {
            throw new IllegalArgumentException(database + "." + table + " is partitioned by " + partitionKeys + ", not by ["
                    + PARTITION_KEY + "] as the lake's tables are");
        }
        List<String> asked = readable.stream().map(AnalyticsView::lower).toList();
        List<String> unknown = asked.stream().filter(column -> !dataColumns.contains(column) && !partitionKeys.contains(column)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(database + "." + table + " has no column " + unknown + " (its columns: " + dataColumns
                    + ", partitioned by " + partitionKeys + ")");
        }
        List<RowFilter> filters = rowFilters.stream().map(RowFilter::parse).toList();
        Partition partition;
        try {
            partition = glue.getPartition(get -> get.databaseName(database).tableName(table).partitionValues(day.toString())).partition();
        } catch (EntityNotFoundException e) {
            throw new IllegalStateException(database + "." + table + " has no partition " + PARTITION_KEY + "=" + day + " in Glue", e);
        }
        String location = partition.storageDescriptor().location();
        List<String> files = parquetFiles(location);

        // Athena's column order: the table's data columns, then its partition keys.
        List<String> shown = new ArrayList<>();
        dataColumns.stream().filter(asked::contains).forEach(shown::add);
        partitionKeys.stream().filter(asked::contains).forEach(shown::add);
        Set<String> toRead = new LinkedHashSet<>(shown);
        filters.forEach(filter -> toRead.addAll(filter.columns()));
        toRead.removeAll(partitionKeys);

        S3Location where = S3Location.parse(location);
        List<List<String>> rows = new ArrayList<>();
        for (String key : files) {
            if (rows.size() >= limit) {
                break;
            }
            byte[] file = s3.getObjectAsBytes(get -> get.bucket(where.bucket()).key(key)).asByteArray();
            for (Map<String, String> row : ParquetRows.read(file, List.copyOf(toRead), Long.MAX_VALUE)) {
                row.put(PARTITION_KEY, day.toString());
                if (filters.isEmpty() || filters.stream().anyMatch(filter -> filter.test(row))) {
                    rows.add(shown.stream().map(row::get).toList());
                    if (rows.size() >= limit) {
                        break;
                    }
                }
            }
        }
        return new TableRows(database, table, day, location, files.size(), shown, rows);
    }

    /**
     * Prints, for each table of {@code databases} (Glue database to the day shared), what {@code report}'s
     * account sees: the first rows of a readable table, or that a table is not readable.
     */
    void print(AccessReport report, Map<String, LocalDate> databases, int limit, PrintStream out) {
        out.println("\nWhat account " + report.accountId() + " sees in Athena (first " + limit + " rows per table, read from the lake"
                + " through Glue's table and partition, only the columns and rows Lake Formation gives it):");
        databases.forEach((database, day) -> {
            for (Table table : glue.getTablesPaginator(get -> get.databaseName(database)).stream()
                    .flatMap(page -> page.tableList().stream()).sorted(Comparator.comparing(Table::name)).toList()) {
                Optional<ReadableTable> readable = report.table(database, table.name());
                if (readable.isEmpty()) {
                    out.printf("%n  %s.%s: not readable by account %s (private: no grant gives it any column)%n",
                            database, table.name(), report.accountId());
                    continue;
                }
                out.println();
                out.print(render(read(database, table.name(), day, readable.get().columns(), readable.get().rowFilters(), limit),
                        readable.get().rowFilters()));
            }
        });
    }

    /** A query result as a small text table, under a line naming the table, its partition and its files. */
    static String render(TableRows result, List<String> rowFilters) {
        StringBuilder out = new StringBuilder();
        out.append("  ").append(result.database()).append('.').append(result.table()).append("  ").append(PARTITION_KEY).append('=')
                .append(result.day()).append("  (").append(result.files()).append(result.files() == 1 ? " Parquet file in " : " Parquet files in ")
                .append(result.location()).append(rowFilters.isEmpty() ? "" : "; rows where " + String.join(" or ", rowFilters)).append(")\n");
        int[] widths = result.columns().stream().mapToInt(String::length).toArray();
        for (List<String> row : result.rows()) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], cell(row.get(i)).length());
            }
        }
        out.append(line(result.columns(), widths));
        out.append("    ").append(java.util.Arrays.stream(widths).mapToObj("-"::repeat).collect(Collectors.joining("-+-"))).append('\n');
        result.rows().forEach(row -> out.append(line(row, widths)));
        if (result.rows().isEmpty()) {
            out.append("    (no rows)\n");
        }
        return out.toString();
    }

    private static String line(List<String> values, int[] widths) {
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < widths.length; i++) {
            cells.add(String.format("%-" + widths[i] + "s", cell(values.get(i))));
        }
        return ("    " + String.join(" | ", cells)).stripTrailing() + "\n";
    }

    private static String cell(String value) {
        return value == null ? "NULL" : value;
    }

    private List<String> parquetFiles(String location) {
        S3Location where = S3Location.parse(location);
        String prefix = where.key().isEmpty() || where.key().endsWith("/") ? where.key() : where.key() + "/";
        List<String> keys = s3.listObjectsV2Paginator(list -> list.bucket(where.bucket()).prefix(prefix)).contents().stream()
                .map(S3Object::key).filter(key -> key.endsWith(".parquet")).sorted().toList();
        if (keys.isEmpty()) {
            throw new IllegalStateException("no Parquet file under the partition location " + location);
        }
        return keys;
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** An {@code s3://bucket/key} location. */
    private record S3Location(String bucket, String key) {
        static S3Location parse(String uri) {
            if (uri == null || !uri.startsWith("s3://") || uri.length() <= 5) {
                throw new IllegalArgumentException("not an s3://bucket/key location: " + uri);
            }
            int slash = uri.indexOf('/', 5);
            return slash < 0 ? new S3Location(uri.substring(5), "") : new S3Location(uri.substring(5, slash), uri.substring(slash + 1));
        }
    }
}
