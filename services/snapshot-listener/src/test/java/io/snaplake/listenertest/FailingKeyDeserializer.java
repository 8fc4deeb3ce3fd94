package io.snaplake.listenertest;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A key deserializer that throws once told to, so that a test can make a consumer's poll() fail for real
 * (the listener's history tail dies of it); until then it reads UTF-8 strings as Kafka's StringDeserializer.
 */
public final class FailingKeyDeserializer implements Deserializer<String> {

    static volatile boolean failing;

    @Override
    public String deserialize(String topic, byte[] data) {
        if (failing) {
            throw new IllegalStateException("key deserializer told to fail (test)");
        }
        return data == null ? null : new String(data, StandardCharsets.UTF_8);
    }
}
