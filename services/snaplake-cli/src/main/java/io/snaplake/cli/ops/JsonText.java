package io.snaplake.cli.ops;

import java.util.Map;
import java.util.stream.Collectors;

/** JSON text for the few small bodies the commands send (a webhook message, a snapshot request). */
public final class JsonText {

    private JsonText() {
    }

    /** A JSON object of string fields, in the map's order. */
    public static String object(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(field -> quote(field.getKey()) + ":" + quote(field.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
    }

    /** A JSON string: quoted, with quotes, backslashes and control characters escaped. */
    public static String quote(String value) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
