package io.snaplake.crawlerrunner.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Parquet types to the Glue (Hive) types a Glue crawler gives a Parquet table, so that tables registered directly
 * read in Athena exactly as crawled ones do. The mapping, rule by rule: docs/design/crawler-runner.md.
 */
public final class ParquetTypes {

    private ParquetTypes() {
    }

    /** The top-level columns of a file's schema, in order. */
    public static List<Column> columns(MessageType schema) {
        List<Column> columns = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (Type field : schema.getFields()) {
            String name = field.getName().toLowerCase(Locale.ROOT);
            String earlier = seen.putIfAbsent(name, field.getName());
            if (earlier != null) {
                throw new UnsupportedSchemaException("columns '" + earlier + "' and '" + field.getName()
                        + "' are one column in Glue, which lower-cases names");
            }
            columns.add(new Column(name, glueType(field)));
        }
        return columns;
    }

    /** The Glue type of one Parquet field (with its repetition). */
    public static String glueType(Type field) {
        String type = field.isPrimitive() ? primitive(field.asPrimitiveType()) : group(field.asGroupType());
        return field.isRepetition(Type.Repetition.REPEATED) && !isList(field) && !isMap(field) ? "array<" + type + ">" : type;
    }

    private static String primitive(PrimitiveType type) {
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        if (logical instanceof DecimalLogicalTypeAnnotation decimal) {
            return "decimal(" + decimal.getPrecision() + "," + decimal.getScale() + ")";
        }
        switch (type.getPrimitiveTypeName()) {
            case BOOLEAN:
                return "boolean";
            case INT32:
                if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                    return "date";
                }
                if (logical instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation) {
                    return "int";
                }
                if (logical instanceof IntLogicalTypeAnnotation integer) {
                    return integer.isSigned()
                            ? (integer.getBitWidth() == 8 ? "tinyint" : integer.getBitWidth() == 16 ? "smallint" : "int")
                            : (integer.getBitWidth() == 8 ? "smallint" : integer.getBitWidth() == 16 ? "int" : "bigint");
                }
                return "int";
            case INT64:
                if (logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation) {
                    return "timestamp";
                }
                if (logical instanceof IntLogicalTypeAnnotation integer && !integer.isSigned()) {
                    return "decimal(20,0)";
                }
                return "bigint";
            case INT96:
                return "timestamp";
            case FLOAT:
                return "float";
            case DOUBLE:
                return "double";
            case BINARY:
                if (logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                        || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                        || logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
                    return "string";
                }
                return "binary";
            case FIXED_LEN_BYTE_ARRAY:
                return "binary";
            default:
                throw new UnsupportedSchemaException("column '" + type.getName() + "' has an unknown Parquet type "
                        + type.getPrimitiveTypeName());
        }
    }

    private static String group(GroupType group) {
        if (isList(group)) {
            Type repeated = group.getType(0);
            // The standard 3-level list (repeated group "list" with one "element") or a legacy 2-level one.
            Type element = !repeated.isPrimitive() && repeated.asGroupType().getFieldCount() == 1
                    && !repeated.getName().equals("array") && !repeated.getName().endsWith("_tuple")
                    ? repeated.asGroupType().getType(0)
                    : repeated;
            String elementType = element.isPrimitive() ? primitive(element.asPrimitiveType())
                    : element == repeated ? group(repeated.asGroupType()) : glueType(element);
            return "array<" + elementType + ">";
        }
        if (isMap(group)) {
            GroupType entry = group.getType(0).asGroupType();
            return "map<" + glueType(entry.getType(0)) + "," + glueType(entry.getType(1)) + ">";
        }
        return group.getFields().stream()
                .map(field -> field.getName().toLowerCase(Locale.ROOT) + ":" + glueType(field))
                .collect(Collectors.joining(",", "struct<", ">"));
    }

    private static boolean isList(Type type) {
        return !type.isPrimitive() && type.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation
                && type.asGroupType().getFieldCount() == 1;
    }

    private static boolean isMap(Type type) {
        if (type.isPrimitive()) {
            return false;
        }
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        return (logical instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
                || logical instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation)
                && type.asGroupType().getFieldCount() == 1 && !type.asGroupType().getType(0).isPrimitive()
                && type.asGroupType().getType(0).asGroupType().getFieldCount() == 2;
    }
}
