package io.snaplake.crawlerrunner.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snaplake.crawlerrunner.aws.MotoCatalog;
import io.snaplake.crawlerrunner.aws.S3LakeStore;
import io.snaplake.rdsexportwriter.RdsColumn;
import io.snaplake.rdsexportwriter.RdsColumns;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;

/**
 * The Parquet-to-Glue type mapping, read the way the service reads it (ranged GETs of the footer through
 * S3LakeStore against moto), on real files that the project's export writer writes with every Parquet shape
 * RDS exports produce for MySQL and PostgreSQL sources.
 */
class ParquetTypesTest {

    private final S3LakeStore lake = MotoCatalog.lake();

    @Test
    void mapsEveryMySqlExportType_asAGlueCrawlerWould() {
        List<Column> columns = footerColumns(lake, "mysql/db/t/date=2026-11-20/", RdsColumns.mysql());

        assertThat(columns).containsExactly(
                new Column("c_bigint", "bigint"),
                new Column("c_bigint_unsigned", "decimal(20,0)"),
                new Column("c_bit", "binary"),
                new Column("c_decimal_9_2", "decimal(9,2)"),
                new Column("c_decimal_18_4", "decimal(18,4)"),
                new Column("c_decimal_38_10", "decimal(38,10)"),
                new Column("c_decimal_65_30", "string"),
                new Column("c_double", "double"),
                new Column("c_float", "double"),
                new Column("c_int", "int"),
                new Column("c_int_unsigned", "bigint"),
                new Column("c_mediumint", "int"),
                new Column("c_smallint", "int"),
                new Column("c_tinyint", "int"),
                new Column("c_binary", "binary"),
                new Column("c_blob", "binary"),
                new Column("c_varchar", "string"),
                new Column("c_text", "string"),
                new Column("c_enum", "string"),
                new Column("c_json", "string"),
                new Column("c_date", "date"),
                new Column("c_datetime", "timestamp"),
                new Column("c_timestamp", "timestamp"),
                new Column("c_time", "string"),
                new Column("c_year", "int"),
                new Column("c_geometry", "binary"));
    }

    @Test
    void mapsEveryPostgreSqlExportType_asAGlueCrawlerWould() {
        List<Column> columns = footerColumns(lake, "pg/db/t/date=2026-11-20/", RdsColumns.postgresql());

        assertThat(columns).containsExactly(
                new Column("c_bigint", "bigint"),
                new Column("c_integer", "int"),
                new Column("c_smallint", "smallint"),
                new Column("c_numeric_9_2", "decimal(9,2)"),
                new Column("c_numeric_18_6", "decimal(18,6)"),
                new Column("c_numeric_38_0", "decimal(38,0)"),
                new Column("c_numeric", "string"),
                new Column("c_real", "float"),
                new Column("c_double", "double"),
                new Column("c_money", "string"),
                new Column("c_boolean", "boolean"),
                new Column("c_bytea", "binary"),
                new Column("c_varchar", "string"),
                new Column("c_text", "string"),
                new Column("c_uuid", "string"),
                new Column("c_jsonb", "string"),
                new Column("c_array", "string"),
                new Column("c_interval", "string"),
                new Column("c_date", "date"),
                new Column("c_timestamp", "timestamp"),
                new Column("c_timestamptz", "timestamp"),
                new Column("c_time", "bigint"),
                new Column("c_timetz", "string"));
    }

    @Test
    void readsAFooterLargerThanTheFirstRangedGet_withASecondOne() {
        List<Column> columns = footerColumns(MotoCatalog.lake(io.snaplake.testkit.LocalInfra.moto().endpoint(), 64),
                "pg/db/small-reads/date=2026-11-20/", RdsColumns.postgresql());

        assertThat(columns).hasSize(RdsColumns.postgresql().size()).first().isEqualTo(new Column("c_bigint", "bigint"));
    }

    @Test
    void refusesAFileThatIsNotParquet_namingIt() {
        MotoCatalog.createBucket("types-lake");
        try (var s3 = MotoCatalog.s3()) {
            s3.putObject(put -> put.bucket("types-lake").key("junk/x.gz.parquet"),
                    software.amazon.awssdk.core.sync.RequestBody.fromString("this is not a parquet file at all"));
        }

        assertThatThrownBy(() -> lake.columns(new LakeFile("types-lake", "junk/x.gz.parquet", 33)).join())
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(UnreadableFileException.class)
                .hasMessageContaining("s3://types-lake/junk/x.gz.parquet is not Parquet");
    }

    @Test
    void mapsNestedTypes_toArrayMapAndStruct() {
        MessageType schema = MessageTypeParser.parseMessageType("""
                message spark_schema {
                  optional group tags (LIST) { repeated group list { optional binary element (STRING); } }
                  optional group attributes (MAP) {
                    repeated group key_value { required binary key (STRING); optional int64 value; }
                  }
                  optional group address { optional binary City (STRING); optional int32 zip; optional group geo { optional double lat; } }
                  repeated int32 legacy_numbers;
                  optional int96 legacy_ts;
                  optional fixed_len_byte_array(16) id (UUID);
                  optional int32 tiny (INTEGER(8,true));
                  optional int64 huge (INTEGER(64,false));
                  optional binary doc (JSON);
                }""");

        assertThat(ParquetTypes.columns(schema)).containsExactly(
                new Column("tags", "array<string>"),
                new Column("attributes", "map<string,bigint>"),
                new Column("address", "struct<city:string,zip:int,geo:struct<lat:double>>"),
                new Column("legacy_numbers", "array<int>"),
                new Column("legacy_ts", "timestamp"),
                new Column("id", "binary"),
                new Column("tiny", "tinyint"),
                new Column("huge", "decimal(20,0)"),
                new Column("doc", "string"));
    }

    @Test
    void refusesColumnsThatDifferOnlyInCase() {
        MessageType schema = MessageTypeParser.parseMessageType("message m { optional int32 Id; optional int32 id; }");

        assertThatThrownBy(() -> ParquetTypes.columns(schema)).isInstanceOf(UnsupportedSchemaException.class)
                .hasMessage("columns 'Id' and 'id' are one column in Glue, which lower-cases names");
    }

    /** Writes a file of {@code columns} into the lake folder {@code prefix}, and reads its columns back from its footer. */
    private static List<Column> footerColumns(S3LakeStore lake, String prefix, List<RdsColumn> columns) {
        String key = MotoCatalog.writeFiles("types-lake", prefix, columns, 1).get(0);
        return lake.columns(new LakeFile("types-lake", key, size(key))).join();
    }

    private static long size(String key) {
        try (var s3 = MotoCatalog.s3()) {
            return s3.headObject(head -> head.bucket("types-lake").key(key)).contentLength();
        }
    }
}
