package io.snaplake.pipeline.messaging;

import static io.snaplake.pipeline.messaging.FailureClassifier.Kind.FAILURE;
import static io.snaplake.pipeline.messaging.FailureClassifier.Kind.OUTAGE;
import static io.snaplake.pipeline.messaging.FailureClassifier.Kind.POISON;
import static org.assertj.core.api.Assertions.assertThat;

import io.snaplake.serde.SchemaRegistryUnavailableException;
import io.snaplake.serde.UnknownMagicByteException;
import io.snaplake.serde.UnknownSchemaIdException;
import java.net.ConnectException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.messaging.MessageHandlingException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The outage-versus-poison rule on the exceptions consumers really see, wrapped as the container wraps them. */
class FailureClassifierTest {

    private final FailureClassifier classifier = FailureClassifier.projectRules();

    @Test
    void anUnreadableRecordIsAnOutage_whenTheRegistryCouldNotAnswer() {
        assertThat(classifier.classify(listenerFailure(new DeserializationException("failed to deserialize", new byte[0], false,
                new SchemaRegistryUnavailableException("No schema registry reachable", new ConnectException()))))).isEqualTo(OUTAGE);
    }

    @Test
    void anUnreadableRecordIsPoison_whenItsBytesOrSchemaIdAreBad() {
        assertThat(classifier.classify(listenerFailure(new DeserializationException("failed to deserialize", new byte[0], false,
                new UnknownSchemaIdException("t", 7, null))))).isEqualTo(POISON);
        assertThat(classifier.classify(listenerFailure(new DeserializationException("failed to deserialize", new byte[0], false,
                new UnknownMagicByteException("t", (byte) 1))))).isEqualTo(POISON);
    }

    @Test
    void aBrokerTimeoutWhileProducingIsAnOutage() {
        assertThat(classifier.classify(listenerFailure(new MessageHandlingException(null, "send failed",
                new KafkaException("Send failed", new TimeoutException("Expiring 1 record(s): 6000 ms has passed")))))).isEqualTo(OUTAGE);
    }

    @Test
    void awsThrottling5xxTimeoutsAndCredentialsAreOutages_otherAwsErrorsAreFailures() {
        assertThat(classifier.classify(listenerFailure(SdkClientException.create("Unable to execute HTTP request")))).isEqualTo(OUTAGE);
        assertThat(classifier.classify(listenerFailure(aws(400, "ThrottlingException")))).isEqualTo(OUTAGE);
        assertThat(classifier.classify(listenerFailure(aws(503, "SlowDown")))).isEqualTo(OUTAGE);
        assertThat(classifier.classify(listenerFailure(aws(500, "InternalError")))).isEqualTo(OUTAGE);
        assertThat(classifier.classify(listenerFailure(aws(400, "ExpiredToken")))).isEqualTo(OUTAGE);
        assertThat(classifier.classify(listenerFailure(aws(403, "AccessDenied")))).isEqualTo(OUTAGE);
        assertThat(classifier.classify(listenerFailure(aws(404, "NoSuchKey")))).isEqualTo(FAILURE);
        assertThat(classifier.classify(listenerFailure(aws(400, "ValidationException")))).isEqualTo(FAILURE);
    }

    @Test
    void followsTheBindingsRetryableExceptions_andAServicesOwnOutageRules() {
        FailureClassifier configured = new FailureClassifier(List.of(e -> e instanceof IllegalStateException),
                Map.of(IllegalArgumentException.class, false, UnsupportedOperationException.class, true));

        assertThat(configured.classify(listenerFailure(new IllegalArgumentException("bad cluster id")))).isEqualTo(POISON);
        assertThat(configured.classify(listenerFailure(new UnsupportedOperationException()))).isEqualTo(FAILURE);
        assertThat(configured.classify(listenerFailure(new IllegalStateException("export not readable yet")))).isEqualTo(OUTAGE);
        assertThat(classifier.classify(listenerFailure(new IllegalStateException("a bug")))).isEqualTo(FAILURE);
    }

    private static Exception listenerFailure(Throwable cause) {
        return new ListenerExecutionFailedException("Listener failed", cause);
    }

    private static AwsServiceException aws(int status, String code) {
        return AwsServiceException.builder().statusCode(status).message(code)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build()).build();
    }
}
