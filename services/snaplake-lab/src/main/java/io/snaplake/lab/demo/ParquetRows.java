package io.snaplake.lab.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads the rows of one Parquet file, some columns only, each value rendered as Athena shows it (decimals,
 * dates, timestamps decoded; missing values null). The file is read from memory ({@link RowGroupPages}),
 * without Hadoop.
 */
final class ParquetRows {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private ParquetRows() {
    }

    /**
     * The first {@code limit} rows of {@code file}, as maps from lower-case column name to value, for the
     * {@code columns} asked (lower case, as Glue names them); a column the file lacks reads as null, as Athena
     * reads a partition written before the column existed.
     */
    static List<Map<String, String>> read(byte[] file, List<String> columns, long limit) {
        try {
            ParquetMetadata footer = RowGroupPages.footer(file);
            MessageType fileSchema = footer.getFileMetaData().getSchema();
            Map<String, Type> fields = new HashMap<>();
            fileSchema.getFields().forEach(field -> fields.put(field.getName().toLowerCase(Locale.ROOT), field));
            List<Type> wanted = columns.stream().filter(fields::containsKey).map(fields::get).toList();
            List<Map<String, String>> rows = new ArrayList<>();
            if (wanted.isEmpty()) {
                return rows;
            }
            MessageType projection = new MessageType(fileSchema.getName(), wanted);
            for (BlockMetaData block : footer.getBlocks()) {
                if (rows.size() >= limit) {
                    break;
                }
                RecordReader<Group> records = new ColumnIOFactory().getColumnIO(projection, fileSchema)
                        .getRecordReader(new RowGroupPages(file, block, projection.getColumns()), new GroupRecordConverter(projection));
                for (long i = 0; i < block.getRowCount() && rows.size() < limit; i++) {
                    Group record = records.read();
                    Map<String, String> row = new HashMap<>();
                    for (String column : columns) {
                        row.put(column, fields.containsKey(column) ? value(record, fields.get(column)) : null);
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read a Parquet file (" + file.length + " bytes)", e);
        }
    }

    private static String value(Group record, Type field) {
        int index = record.getType().getFieldIndex(field.getName());
        if (record.getFieldRepetitionCount(index) == 0) {
            return null;
        }
        if (!field.isPrimitive()) {
            return record.getGroup(index, 0).toString().strip();
        }
        PrimitiveType type = field.asPrimitiveType();
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        return switch (type.getPrimitiveTypeName()) {
            case INT32 -> {
                int value = record.getInteger(index, 0);
                if (logical instanceof DecimalLogicalTypeAnnotation decimal) {
                    yield BigDecimal.valueOf(value, decimal.getScale()).toPlainString();
                }
                yield logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation
                        ? LocalDate.ofEpochDay(value).toString() : Integer.toString(value);
            }
            case INT64 -> {
                long value = record.getLong(index, 0);
                if (logical instanceof DecimalLogicalTypeAnnotation decimal) {
                    yield BigDecimal.valueOf(value, decimal.getScale()).toPlainString();
                }
                if (logical instanceof TimestampLogicalTypeAnnotation timestamp) {
                    yield TIMESTAMP.format(instant(value, timestamp.getUnit()));
                }
                if (logical instanceof TimeLogicalTypeAnnotation time) {
                    yield LocalTime.ofNanoOfDay(nanos(value, time.getUnit())).toString();
                }
                yield Long.toString(value);
            }
            case BINARY, FIXED_LEN_BYTE_ARRAY -> {
                byte[] bytes = record.getBinary(index, 0).getBytes();
                if (logical instanceof DecimalLogicalTypeAnnotation decimal) {
                    yield new BigDecimal(new BigInteger(bytes), decimal.getScale()).toPlainString();
                }
                yield logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                        || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                        || logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation
                        ? record.getString(index, 0) : "0x" + HexFormat.of().formatHex(bytes);
            }
            case BOOLEAN -> Boolean.toString(record.getBoolean(index, 0));
            case FLOAT -> Float.toString(record.getFloat(index, 0));
            case DOUBLE -> Double.toString(record.getDouble(index, 0));
            case INT96 -> "0x" + HexFormat.of().formatHex(record.getInt96(index, 0).getBytes());
        };
    }

    private static Instant instant(long value, LogicalTypeAnnotation.TimeUnit unit) {
        long nanos = nanos(value, unit);
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    private static long nanos(long value, LogicalTypeAnnotation.TimeUnit unit) {
        return switch (unit) {
            case MILLIS -> value * 1_000_000L;
            case MICROS -> value * 1_000L;
            case NANOS -> value;
        };
    }
}
