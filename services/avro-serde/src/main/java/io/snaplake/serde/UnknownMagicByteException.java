package io.snaplake.serde;

/** A record whose first byte is not the wire format's magic byte 0: not written by a Confluent-format serializer. */
public class UnknownMagicByteException extends AvroSerdeException {

    public UnknownMagicByteException(String topic, byte magicByte) {
        super(String.format("Record on topic '%s' is not in Confluent wire format: first byte is 0x%02x, expected 0x00",
                topic, magicByte));
    }
}
