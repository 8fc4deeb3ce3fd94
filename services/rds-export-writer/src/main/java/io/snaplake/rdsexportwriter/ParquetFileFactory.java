package io.snaplake.rdsexportwriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Builds real gzip-compressed Parquet files shaped like an RDS export's: one row group, the columns' Parquet
 * types exactly as {@link RdsColumn} gives them (any primitive type and logical annotation, which Avro-based
 * writers cannot all express: INT32 decimals, INT_16). Uses Parquet's Hadoop-free API (an in-memory
 * {@code OutputFile} and {@link PlainParquetConfiguration}).
 */
public final class ParquetFileFactory {

    private ParquetFileFactory() {
    }

    /** A Parquet file of the standard columns, {@code rows} rows whose ids start at {@code firstId}. */
    static byte[] parquet(String table, long firstId, int rows, Instant snapshotTime) {
        return parquet(table, RdsColumns.standard(), firstId, rows);
    }

    /** A Parquet file of {@code columns}, {@code rows} rows whose ids start at {@code firstId}; the same arguments give the same bytes. */
    public static byte[] parquet(String table, List<RdsColumn> columns, long firstId, int rows) {
        MessageType schema = new MessageType("spark_schema", columns.stream().map(RdsColumn::parquetType).toList());
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        InMemoryOutputFile file = new InMemoryOutputFile();
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(file)
                .withConf(new PlainParquetConfiguration())
                .withType(schema)
                .withCodecFactory(new JdkGzipCodecFactory())
                .withCompressionCodec(CompressionCodecName.GZIP)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build()) {
            for (long id = firstId; id < firstId + rows; id++) {
                Group row = groups.newGroup();
                for (RdsColumn column : columns) {
                    append(row, column.parquetType(), column.value().apply(id));
                }
                writer.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not build a Parquet file for " + table, e);
        }
        return file.toByteArray();
    }

    private static void append(Group row, Type type, Object value) {
        String name = type.getName();
        if (value == null) {
            return; // optional field: absent is null
        }
        if (value instanceof Integer i) {
            row.append(name, i);
        } else if (value instanceof Long l) {
            row.append(name, l);
        } else if (value instanceof Boolean b) {
            row.append(name, b);
        } else if (value instanceof Float f) {
            row.append(name, f);
        } else if (value instanceof Double d) {
            row.append(name, d);
        } else if (value instanceof String s) {
            row.append(name, s);
        } else if (value instanceof byte[] bytes) {
            row.append(name, Binary.fromConstantByteArray(bytes));
        } else {
            throw new IllegalArgumentException("column " + name + ": unsupported value type " + value.getClass());
        }
    }
}
