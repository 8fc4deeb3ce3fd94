package io.snaplake.rdsexportwriter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Util;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

class ExportWriterTest {

    private final S3Client s3 = MotoS3.client();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void writesTheSampleExport_inAwsLayout_withBothNamingConventions() {
        WrittenExport written = new ExportWriter(s3).write(ExportSpec.sample("writer-sample", "exports", "orders-2026-11-20"));

        List<String> keys = keys("writer-sample", "exports/orders-2026-11-20/");
        assertThat(keys).containsAll(written.objects().stream().map(WrittenExport.WrittenObject::key).toList());
        assertThat(keys).contains(
                "exports/orders-2026-11-20/export_info_orders-2026-11-20.json",
                "exports/orders-2026-11-20/export_tables_info_orders-2026-11-20_from_1_to_6.json",
                "exports/orders-2026-11-20/ordersdb/public.orders/1/_SUCCESS");
        assertThat(keys).filteredOn(key -> key.startsWith("exports/orders-2026-11-20/ordersdb/public.orders/"))
                .filteredOn(key -> key.endsWith(".gz.parquet"))
                .hasSize(6)
                .allMatch(key -> key.matches(".*/public\\.orders/[123]/part-\\d{5}-[0-9a-f-]{36}\\.gz\\.parquet"));
        assertThat(keys).filteredOn(key -> key.contains("/public.customers/"))
                .allMatch(key -> key.matches(".*/public\\.customers/part-\\d{5}-[0-9a-f-]{36}\\.gz\\.parquet"));
        assertThat(keys).filteredOn(key -> key.contains("/public.order_lines/") && key.endsWith(".gz.parquet"))
                .allMatch(key -> key.matches(".*/public\\.order_lines/[0-9a-f]+b[01]/part-.*"));
    }

    @Test
    void reportsPerTableStatus_andSkippedDatabases_asAwsDoes() throws IOException {
        new ExportWriter(s3).write(ExportSpec.sample("writer-status", "", "orders-2026-11-20"));

        JsonNode info = json.readTree(read("writer-status", "orders-2026-11-20/export_tables_info_orders-2026-11-20_from_1_to_6.json"));
        List<JsonNode> statuses = StreamSupport.stream(info.get("perTableStatus").spliterator(), false).toList();
        assertThat(statuses).extracting(status -> status.get("target").asText() + "=" + status.get("status").asText())
                .containsExactly("ordersdb.public.orders=COMPLETE", "ordersdb.public.order_lines=COMPLETE",
                        "ordersdb.public.customers=COMPLETE", "billingdb.public.invoices=COMPLETE",
                        "billingdb.public.audit_log=FAILED", "reportingdb=SKIPPED");
        assertThat(statuses.get(5).get("warningMessage").asText()).contains("reportingdb was skipped");
        assertThat(statuses.get(0).at("/schemaMetadata/originalTypeMappings/0/columnName").asText()).isEqualTo("id");
        assertThat(statuses.get(0).at("/schemaMetadata/originalTypeMappings/0/expectedExportedType").asText()).isEqualTo("int64");
    }

    @Test
    void writesRealGzipParquet_readableWithoutHadoop() throws IOException {
        WrittenExport written = new ExportWriter(s3).write(ExportSpec.sample("writer-parquet", "p", "e1"));

        byte[] file = read("writer-parquet", written.partFiles().get(0).key());
        // The footer, read with parquet-format's Thrift classes: no Hadoop needed to check what was written.
        int footerLength = ByteBuffer.wrap(file, file.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        FileMetaData footer = Util.readFileMetaData(
                new ByteArrayInputStream(file, file.length - 8 - footerLength, footerLength));

        assertThat(new String(file, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("PAR1");
        assertThat(footer.getNum_rows()).isEqualTo(200);
        assertThat(footer.getRow_groups().get(0).getColumns())
                .allMatch(column -> column.getMeta_data().getCodec() == CompressionCodec.GZIP);
        // RDS exports are written by Spark: the root of the schema is "spark_schema".
        assertThat(footer.getSchema()).extracting(SchemaElement::getName)
                .containsExactly("spark_schema", "id", "name", "amount", "updated_at");
    }

    @Test
    void writesManySmallObjectsFast_forBenchmarks_andTheSameKeysOnARewrite() {
        ExportSpec spec = ExportSpec.builder("writer-many", "bench-1")
                .content(FileContent.SMALL_OBJECTS)
                .table(TableSpec.complete("db", "public.big", BatchLayout.NUMBERED_BATCHES, 1200).withFilesPerBatch(500))
                .build();

        WrittenExport first = new ExportWriter(s3).write(spec);
        WrittenExport second = new ExportWriter(s3).write(spec);

        assertThat(first.partFiles()).hasSize(1200);
        assertThat(second.objects()).isEqualTo(first.objects());
        assertThat(keys("writer-many", "bench-1/db/public.big/")).hasSize(1200 + 3);
    }

    private List<String> keys(String bucket, String prefix) {
        return s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    private byte[] read(String bucket, String key) {
        return s3.getObjectAsBytes(get -> get.bucket(bucket).key(key)).asByteArray();
    }
}
