package io.snaplake.serde;

/**
 * Confluent's wire format: one magic byte 0, the schema's registry id as a 4-byte big-endian int, then
 * the Avro binary encoding of the value with that schema.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int ID_SIZE = 4;
    public static final int HEADER_SIZE = 1 + ID_SIZE;

    private WireFormat() {
    }
}
