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
import java.util.Locale;
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
                plain("id", "bigint", PrimitiveTypeName.INT64, id -> id),
                utf8("name", "character varying", id -> "row " + id),
                decimal("amount", "numeric", PrimitiveTypeName.BINARY, 12, 2, id -> unscaled(BigDecimal.valueOf(id * 37 % 100_000, 2), 2)),
                timestampMicros("updated_at", "timestamp without time zone", false, id -> MICROS_2026_11_20 - id * 1_000_000L));
    }

    /** Every Parquet shape a MySQL or MariaDB source produces, one column each. */
    public static List<RdsColumn> mysql() {
        return List.of(
                bigint(),
                fixedDecimal("c_bigint_unsigned", "bigint unsigned", 9, 20, 0, id -> fixedBytes(BigInteger.valueOf(id).add(BigInteger.TWO.pow(63)), 9)),
                plain("c_bit", "bit", PrimitiveTypeName.BINARY, id -> new byte[] {(byte) (id & 1)}),
                decimal("c_decimal_9_2", "decimal", PrimitiveTypeName.INT32, 9, 2, id -> (int) (id * 101 % 1_000_000)),
                decimal("c_decimal_18_4", "decimal", PrimitiveTypeName.INT64, 18, 4, id -> id * 1_000_003L),
                fixedDecimal("c_decimal_38_10", "decimal", 16, 38, 10, id -> fixedBytes(BigInteger.valueOf(id).pow(3), 16)),
                utf8("c_decimal_65_30", "decimal", id -> id + ".000000000000000000000000000001"),
                plain("c_double", "double", PrimitiveTypeName.DOUBLE, id -> id / 3.0),
                plain("c_float", "float", PrimitiveTypeName.DOUBLE, id -> id / 7.0),
                plain("c_int", "int", PrimitiveTypeName.INT32, id -> (int) id),
                plain("c_int_unsigned", "int unsigned", PrimitiveTypeName.INT64, id -> id + (1L << 31)),
                plain("c_mediumint", "mediumint", PrimitiveTypeName.INT32, id -> (int) (id % 8_000_000)),
                plain("c_smallint", "smallint", PrimitiveTypeName.INT32, id -> (int) (id % 30_000)),
                plain("c_tinyint", "tinyint", PrimitiveTypeName.INT32, id -> (int) (id % 100)),
                plain("c_binary", "varbinary", PrimitiveTypeName.BINARY, id -> ("b" + id).getBytes(StandardCharsets.UTF_8)),
                plain("c_blob", "blob", PrimitiveTypeName.BINARY, id -> new byte[] {1, 2, (byte) id}),
                varchar("varchar"),
                text(),
                utf8("c_enum", "enum", id -> id % 2 == 0 ? "open" : "closed"),
                utf8("c_json", "json", id -> "{\"id\":" + id + "}"),
                date(),
                timestampMicros("c_datetime", "datetime", true, id -> MICROS_2026_11_20 - id * 1_000_000L),
                timestampMicros("c_timestamp", "timestamp", true, id -> MICROS_2026_11_20 + id),
                utf8("c_time", "time", id -> "03:10:" + String.format("%02d", id % 60)),
                plain("c_year", "year", PrimitiveTypeName.INT32, id -> 2026),
                plain("c_geometry", "geometry", PrimitiveTypeName.BINARY, id -> new byte[] {0, 0, 0, 0, 1}));
    }

    /** Every Parquet shape a PostgreSQL source produces, one column each. */
    public static List<RdsColumn> postgresql() {
        return List.of(
                bigint(),
                plain("c_integer", "integer", PrimitiveTypeName.INT32, id -> (int) id),
                column("c_smallint", "smallint", "int32 (INT_16)", primitive(PrimitiveTypeName.INT32, intType(16, true), "c_smallint"),
                        id -> (int) (id % 30_000)),
                decimal("c_numeric_9_2", "numeric", PrimitiveTypeName.INT32, 9, 2, id -> (int) (id * 13)),
                decimal("c_numeric_18_6", "numeric", PrimitiveTypeName.INT64, 18, 6, id -> id * 1_000_000L),
                fixedDecimal("c_numeric_38_0", "numeric", 16, 38, 0, id -> fixedBytes(BigInteger.valueOf(id), 16)),
                utf8("c_numeric", "numeric", id -> id + ".5"),
                plain("c_real", "real", PrimitiveTypeName.FLOAT, id -> id / 4f),
                plain("c_double", "double precision", PrimitiveTypeName.DOUBLE, id -> id / 3.0),
                utf8("c_money", "money", id -> "$" + id + ".00"),
                plain("c_boolean", "boolean", PrimitiveTypeName.BOOLEAN, id -> id % 2 == 0),
                plain("c_bytea", "bytea", PrimitiveTypeName.BINARY, id -> ("x" + id).getBytes(StandardCharsets.UTF_8)),
                varchar("character varying"),
                text(),
                utf8("c_uuid", "uuid", id -> new java.util.UUID(0, id).toString()),
                utf8("c_jsonb", "jsonb", id -> "{\"id\": " + id + "}"),
                utf8("c_array", "ARRAY", id -> "{" + id + "," + (id + 1) + "}"),
                utf8("c_interval", "interval", id -> id + " days"),
                date(),
                timestampMicros("c_timestamp", "timestamp without time zone", false, id -> MICROS_2026_11_20 - id * 1_000_000L),
                timestampMicros("c_timestamptz", "timestamp with time zone", true, id -> MICROS_2026_11_20 + id),
                column("c_time", "time without time zone", "int64 (TIME_MICROS)",
                        primitive(PrimitiveTypeName.INT64, timeType(false, TimeUnit.MICROS), "c_time"), id -> id * 1_000_000L),
                utf8("c_timetz", "time with time zone", id -> "03:10:00+00"));
    }

    // The columns both sources export alike.

    private static RdsColumn bigint() {
        return plain("c_bigint", "bigint", PrimitiveTypeName.INT64, id -> id);
    }

    private static RdsColumn varchar(String originalType) {
        return utf8("c_varchar", originalType, id -> id % 5 == 0 ? null : "name " + id);
    }

    private static RdsColumn text() {
        return utf8("c_text", "text", id -> "text " + id);
    }

    private static RdsColumn date() {
        return column("c_date", "date", "int32 (DATE)", primitive(PrimitiveTypeName.INT32, dateType(), "c_date"),
                id -> (int) (DAY_2026_11_20 - id % 365));
    }

    // One builder per Parquet shape: the exported type's description follows from it.

    /** A primitive without annotation, described by its name: {@code int64}, {@code binary}, {@code double}... */
    private static RdsColumn plain(String name, String originalType, PrimitiveTypeName type, LongFunction<Object> value) {
        return column(name, originalType, type.name().toLowerCase(Locale.ROOT), primitive(type, null, name), value);
    }

    private static RdsColumn utf8(String name, String originalType, LongFunction<Object> value) {
        return column(name, originalType, "binary (UTF8)", primitive(PrimitiveTypeName.BINARY, stringType(), name), value);
    }

    private static RdsColumn decimal(String name, String originalType, PrimitiveTypeName type, int precision, int scale,
            LongFunction<Object> value) {
        return column(name, originalType, type.name().toLowerCase(Locale.ROOT) + " (DECIMAL(" + precision + "," + scale + "))",
                primitive(type, decimalType(scale, precision), name), value);
    }

    private static RdsColumn fixedDecimal(String name, String originalType, int length, int precision, int scale,
            LongFunction<Object> value) {
        return column(name, originalType, "fixed_len_byte_array(" + length + ") (DECIMAL(" + precision + "," + scale + "))",
                fixed(length, decimalType(scale, precision), name), value);
    }

    private static RdsColumn timestampMicros(String name, String originalType, boolean adjustedToUtc, LongFunction<Object> value) {
        return column(name, originalType, "int64 (TIMESTAMP_MICROS)",
                primitive(PrimitiveTypeName.INT64, timestampType(adjustedToUtc, TimeUnit.MICROS), name), value);
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
