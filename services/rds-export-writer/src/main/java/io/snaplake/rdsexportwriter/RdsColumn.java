package io.snaplake.rdsexportwriter;

import java.util.Objects;
import java.util.function.LongFunction;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * One column of an exported table as an RDS export writes it: the source database's type (what
 * {@code export_tables_info}'s {@code originalTypeMappings} calls {@code originalType}), the Parquet type the
 * export gives it, and a value for each row (null for a missing value).
 *
 * @param name                 column name as the source names it
 * @param originalType         the source type, e.g. {@code bigint unsigned} (MySQL) or {@code numeric} (PostgreSQL)
 * @param expectedExportedType how AWS describes the exported type, e.g. {@code fixed_len_byte_array(9) (DECIMAL(20,0))}
 * @param parquetType          the Parquet field written (optional repetition: source columns are nullable)
 * @param value                the value of row {@code id}: Integer, Long, Boolean, Float, Double, String, byte[] or null
 */
public record RdsColumn(String name, String originalType, String expectedExportedType, Type parquetType,
        LongFunction<Object> value) {

    public RdsColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parquetType, "parquetType");
        if (!parquetType.getName().equals(name)) {
            throw new IllegalArgumentException("the Parquet field of column " + name + " is named " + parquetType.getName());
        }
    }

    /** The same column under another name (e.g. to give a table a new column). */
    public RdsColumn renamed(String newName) {
        PrimitiveType primitive = parquetType.asPrimitiveType();
        Type renamed = Types.primitive(primitive.getPrimitiveTypeName(), primitive.getRepetition())
                .length(primitive.getTypeLength()).as(primitive.getLogicalTypeAnnotation()).named(newName);
        return new RdsColumn(newName, originalType, expectedExportedType, renamed, value);
    }
}
