package io.snaplake.rdsexportwriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Builds real gzip-compressed Parquet files shaped like an RDS export's: one row group, columns of the
 * types an export produces for a typical table (int64 id, UTF-8 string, decimal, timestamp). Uses
 * Parquet's Hadoop-free API (an in-memory {@code OutputFile} and {@link PlainParquetConfiguration}).
 */
final class ParquetFileFactory {

    /** The columns every generated table has; also what export_tables_info reports as originalTypeMappings. */
    static final Schema ROW_SCHEMA = SchemaBuilder.record("row")
            .fields()
            .requiredLong("id")
            .optionalString("name")
            .name("amount").type(LogicalTypes.decimal(12, 2).addToSchema(Schema.create(Schema.Type.BYTES))).noDefault()
            .name("updated_at").type(LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG))).noDefault()
            .endRecord();

    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

    private ParquetFileFactory() {
    }

    /** A Parquet file of {@code rows} rows whose ids start at {@code firstId}; the same arguments give the same rows. */
    static byte[] parquet(String table, long firstId, int rows, Instant snapshotTime) {
        InMemoryOutputFile file = new InMemoryOutputFile();
        try (ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(file)
                .withConf(new PlainParquetConfiguration())
                .withSchema(ROW_SCHEMA)
                .withDataModel(GenericData.get())
                .withCodecFactory(new JdkGzipCodecFactory())
                .withCompressionCodec(CompressionCodecName.GZIP)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build()) {
            long micros = snapshotTime.getEpochSecond() * 1_000_000L;
            for (long id = firstId; id < firstId + rows; id++) {
                GenericRecord row = new GenericData.Record(ROW_SCHEMA);
                row.put("id", id);
                row.put("name", table + " row " + id);
                BigDecimal amount = BigDecimal.valueOf(id * 37 % 100_000, 2).setScale(2, RoundingMode.UNNECESSARY);
                ByteBuffer amountBytes = DECIMALS.toBytes(amount, null, ROW_SCHEMA.getField("amount").schema().getLogicalType());
                row.put("amount", amountBytes);
                row.put("updated_at", micros - id * 1_000_000L);
                writer.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not build a Parquet file for " + table, e);
        }
        return file.toByteArray();
    }
}
