package io.snaplake.rdsexportwriter;

import static org.apache.parquet.schema.LogicalTypeAnnotation.dateType;
import static org.apache.parquet.schema.LogicalTypeAnnotation.decimalType;
import static org.apache.parquet.schema.LogicalTypeAnnotation.intType;
import static org.apache.parquet.schema.LogicalTypeAnnotation.stringType;
import static org.apache.parquet.schema.LogicalTypeAnnotation.timeType;
import static org.apache.parquet.schema.LogicalTypeAnnotation.timestampType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongFunction;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * The columns RDS exports write for MySQL/MariaDB and PostgreSQL sources, one per distinct Parquet shape of
 * AWS's "Data conversion when exporting to an Amazon S3 bucket" tables (USER_ExportSnapshot.data-types):
 * each source type with the Parquet primitive type and logical annotation the export gives it. Decimals take
 * INT32, INT64 or FIXED_LEN_BYTE_ARRAY by precision, and a string above precision 38.
 */
public final class RdsColumns {

    private static final long DAY_2026_11_20 = 20_412; // days since 1970-01-01
    private static final long MICROS_2026_11_20 = DAY_2026_11_20 * 86_400_000_000L;

    private RdsColumns() {
    }

    /** The columns every generated table has unless told otherwise (the original four of the export writer). */
    public static List<RdsColumn> standard() {
        return List.of(
                column("id", "bigint", "int64", primitive(PrimitiveTypeName.INT64, null, "id"), id -> id),
                column("name", "character varying", "binary (UTF8)", primitive(PrimitiveTypeName.BINARY, stringType(), "name"),
                        id -> "row " + id),
                column("amount", "numeric", "binary (DECIMAL(12,2))",
                        primitive(PrimitiveTypeName.BINARY, decimalType(2, 12), "amount"),
                        id -> unscaled(BigDecimal.valueOf(id * 37 % 100_000, 2), 2)),
                column("updated_at", "timestamp without time zone", "int64 (TIMESTAMP_MICROS)",
                        primitive(PrimitiveTypeName.INT64, timestampType(false, TimeUnit.MICROS), "updated_at"),
                        id -> MICROS_2026_11_20 - id * 1_000_000L));
    }

    /** Every Parquet shape a MySQL or MariaDB source produces, one column each. */
    public static List<RdsColumn> mysql() {
        return List.of(
                column("c_bigint", "bigint", "int64", primitive(PrimitiveTypeName.INT64, null, "c_bigint"), id -> id),
                column("c_bigint_unsigned", "bigint unsigned", "fixed_len_byte_array(9) (DECIMAL(20,0))",
                        fixed(9, decimalType(0, 20), "c_bigint_unsigned"), id -> fixedBytes(BigInteger.valueOf(id).add(BigInteger.TWO.pow(63)), 9)),
                column("c_bit", "bit", "binary", primitive(PrimitiveTypeName.BINARY, null, "c_bit"), id -> new byte[] {(byte) (id & 1)}),
                column("c_decimal_9_2", "decimal", "int32 (DECIMAL(9,2))", primitive(PrimitiveTypeName.INT32, decimalType(2, 9), "c_decimal_9_2"),
                        id -> (int) (id * 101 % 1_000_000)),
                column("c_decimal_18_4", "decimal", "int64 (DECIMAL(18,4))", primitive(PrimitiveTypeName.INT64, decimalType(4, 18), "c_decimal_18_4"),
                        id -> id * 1_000_003L),
                column("c_decimal_38_10", "decimal", "fixed_len_byte_array(16) (DECIMAL(38,10))",
                        fixed(16, decimalType(10, 38), "c_decimal_38_10"), id -> fixedBytes(BigInteger.valueOf(id).pow(3), 16)),
                column("c_decimal_65_30", "decimal", "binary (UTF8)", primitive(PrimitiveTypeName.BINARY, stringType(), "c_decimal_65_30"),
                        id -> id + ".000000000000000000000000000001"),
                column("c_double", "double", "double", primitive(PrimitiveTypeName.DOUBLE, null, "c_double"), id -> id / 3.0),
                column("c_float", "float", "double", primitive(PrimitiveTypeName.DOUBLE, null, "c_float"), id -> id / 7.0),
                column("c_int", "int", "int32", primitive(PrimitiveTypeName.INT32, null, "c_int"), id -> (int) id),
                column("c_int_unsigned", "int unsigned", "int64", primitive(PrimitiveTypeName.INT64, null, "c_int_unsigned"), id -> id + (1L << 31)),
                column("c_mediumint", "mediumint", "int32", primitive(PrimitiveTypeName.INT32, null, "c_mediumint"), id -> (int) (id % 8_000_000)),
                column("c_smallint", "smallint", "int32", primitive(PrimitiveTypeName.INT32, null, "c_smallint"), id -> (int) (id % 30_000)),
                column("c_tinyint", "tinyint", "int32", primitive(PrimitiveTypeName.INT32, null, "c_tinyint"), id -> (int) (id % 100)),
                column("c_binary", "varbinary", "binary", primitive(PrimitiveTypeName.BINARY, null, "c_binary"),
                        id -> ("b" + id).getBytes(StandardCharsets.UTF_8)),
                column("c_blob", "blob", "binary", primitive(PrimitiveTypeName.BINARY, null, "c_blob"),
                        id -> new byte[] {1, 2, (byte) id}),
                column("c_varchar", "varchar", "binary (UTF8)", primitive(PrimitiveTypeName.BINARY, stringType(), "c_varchar"),
                        id -> id % 5 == 0 ? null : "name " + id),
                column("c_text", "text", "binary (UTF8)", primitive(PrimitiveTypeName.BINARY, stringType(), "c_text"), id -> "text " + id),
                column("c_enum", "enum", "binary (UTF8)", primitive(PrimitiveTypeName.BINARY, stringType(), "c_enum"),
                        id -> id % 2 == 0 ? "open" : "closed"),
                column("c_json", "json", "binary (UTF8)", primitive(PrimitiveTypeName.BINARY, stringType(), "c_json"),
                        id -> "{\"id\":" + id + "}"),
                column("c_date", "date", "int32 (DATE)", primitive(PrimitiveTypeName.INT32, dateType(), "c_date"),
                        id -> (int) (DAY_2026_11_20 - id % 365)),
                column("c_datetime", "datetime", "int64 (TIMESTAMP_MICROS)",
                        primitive(PrimitiveTypeName.INT64, timestampType(true, TimeUnit.MICROS), "c_datetime"),
                        id -> MICROS_2026_11_20 - id * 1_000_000L),
                column("c_timestamp", "timestamp", "int64 (TIMESTAMP_MICROS)",
                        primitive(PrimitiveTypeName.INT64, timestampType(true, TimeUnit.MICROS), "c_timestamp"),
                        id -> MICROS_2026_11_20 + id),
                column("c_time", "time", "binary (UTF8)", primitive(PrimitiveTypeName.BINARY, stringType(), "c_time"),
                        id -> "03:10:" + String.format("%02d", id % 60)),
                column("c_year", "year", "int32", primitive(PrimitiveTypeName.INT32, null, "c_year"), id -> 2026),
                column("c_geometry", "geometry", "binary", primitive(PrimitiveTypeName.BINARY, null, "c_geometry"),
                        id -> new byte[] {0, 0, 0, 0, 1}));
    }

    /** Every Parquet shape a PostgreSQL source produces, one column each. */
    public static List<RdsColumn> postgresql() {
        return List.of(
                column("c_bigint", "bigint", "int64", primitive(PrimitiveTypeName.INT64, null, "c_bigint"), id -> id),
                column("c_integer", "integer", "int32", primitive(PrimitiveTypeName.INT32, null, "c_integer"), id -> (int) id),
                column("c_smallint", "smallint", "int32 (INT_16)", primitive(PrimitiveTypeName.INT32, intType(16, true), "c_smallint"),
                        id -> (int) (id % 30_000)),
                column("c_numeric_9_2", "numeric", "int32 (DECIMAL(9,2))", primitive(PrimitiveTypeName.INT32, decimalType(2, 9), "c_numeric_9_2"),
                        id -> (int) (id * 13)),
                column("c_numeric_18_6", "numeric", "int64 (DECIMAL(18,6))", primitive(PrimitiveTypeName.INT64, decimalType(6, 18), "c_numeric_18_6"),
                        id -> id * 1_000_000L),
                column("c_numeric_38_0", "numeric", "fixed_len_byte_array(16) (DECIMAL(38,0))",
                        fixed(16, decimalType(0, 38), "c_numeric_38_0"), id -> fixedBytes(BigInteger.valueOf(id), 16)),
                column("c_numeric", "numeric", "binary (UTF8)", primitive(PrimitiveTypeName.BINARY, stringType(), "c_numeric"),
                        id -> id + ".5"),
                column("c_real", "real", "float", primitive(PrimitiveTypeName.FLOAT, null, "c_real"), id -> id / 4f),
                column("c_double", "double precision", "double", primitive(PrimitiveTypeName.DOUBLE, null, "c_double"), id -> id / 3.0),
                column("c_money", "money", "binary (UTF8)", primitive(PrimitiveTypeName.BINARY, stringType(), "c_money"),
                        id -> "$" + id + ".00"),
                column("c_boolean", "boolean", "boolean", primitive(PrimitiveTypeName.BOOLEAN, null, "c_boolean"), id -> id % 2 == 0),
                column("c_bytea", "bytea", "binary", primitive(PrimitiveTypeName.BINARY, null, "c_bytea"),
                        id -> ("x" + id).getBytes(StandardCharsets.UTF_8)),
                column("c_varchar", "character varying", "binary (UTF8)", primitive(PrimitiveTypeName.BINARY, stringType(), "c_varchar"),
                        id -> id % 5 == 0 ? null : "name " + id),
                column("c_text", "text", "binary (UTF8)", primitive(PrimitiveTypeName.BINARY, stringType(), "c_text"), id -> "text " + id),
                column("c_uuid", "uuid", "binary (UTF8)", primitive(PrimitiveTypeName.BINARY, stringType(), "c_uuid"),
                        id -> new java.util.UUID(0, id).toString()),
                column("c_jsonb", "jsonb", "binary (UTF8)", primitive(PrimitiveTypeName.BINARY, stringType(), "c_jsonb"),
                        id -> "{\"id\": " + id + "}"),
                column("c_array", "ARRAY", "binary (UTF8)", primitive(PrimitiveTypeName.BINARY, stringType(), "c_array"),
                        id -> "{" + id + "," + (id + 1) + "}"),
                column("c_interval", "interval", "binary (UTF8)", primitive(PrimitiveTypeName.BINARY, stringType(), "c_interval"),
                        id -> id + " days"),
                column("c_date", "date", "int32 (DATE)", primitive(PrimitiveTypeName.INT32, dateType(), "c_date"),
                        id -> (int) (DAY_2026_11_20 - id % 365)),
                column("c_timestamp", "timestamp without time zone", "int64 (TIMESTAMP_MICROS)",
                        primitive(PrimitiveTypeName.INT64, timestampType(false, TimeUnit.MICROS), "c_timestamp"),
                        id -> MICROS_2026_11_20 - id * 1_000_000L),
                column("c_timestamptz", "timestamp with time zone", "int64 (TIMESTAMP_MICROS)",
                        primitive(PrimitiveTypeName.INT64, timestampType(true, TimeUnit.MICROS), "c_timestamptz"),
                        id -> MICROS_2026_11_20 + id),
                column("c_time", "time without time zone", "int64 (TIME_MICROS)",
                        primitive(PrimitiveTypeName.INT64, timeType(false, TimeUnit.MICROS), "c_time"), id -> id * 1_000_000L),
                column("c_timetz", "time with time zone", "binary (UTF8)", primitive(PrimitiveTypeName.BINARY, stringType(), "c_timetz"),
                        id -> "03:10:00+00"));
    }

    private static RdsColumn column(String name, String originalType, String exportedType, Type type, LongFunction<Object> value) {
        return new RdsColumn(name, originalType, exportedType, type, value);
    }

    private static Type primitive(PrimitiveTypeName type, LogicalTypeAnnotation annotation, String name) {
        return Types.optional(type).as(annotation).named(name);
    }

    private static Type fixed(int length, LogicalTypeAnnotation annotation, String name) {
        return Types.optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY).length(length).as(annotation).named(name);
    }

    /** A decimal's unscaled value in big-endian two's complement, as Parquet's BINARY decimals hold it. */
    static byte[] unscaled(BigDecimal value, int scale) {
        return value.setScale(scale).unscaledValue().toByteArray();
    }

    /** A big-endian two's-complement value sign-extended to {@code length} bytes (FIXED_LEN_BYTE_ARRAY decimals). */
    static byte[] fixedBytes(BigInteger value, int length) {
        byte[] minimal = value.toByteArray();
        byte[] fixed = new byte[length];
        Arrays.fill(fixed, value.signum() < 0 ? (byte) 0xff : 0);
        System.arraycopy(minimal, 0, fixed, length - minimal.length, minimal.length);
        return fixed;
    }
}
