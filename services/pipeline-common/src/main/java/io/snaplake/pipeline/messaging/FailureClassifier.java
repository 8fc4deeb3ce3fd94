package io.snaplake.pipeline.messaging;

import io.snaplake.pipeline.DependencyUnavailableException;
import io.snaplake.serde.SchemaRegistryUnavailableException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.RetriableException;
import org.springframework.core.convert.ConversionException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Sorts a consumer's failure into what the error handler does with it (the project's outage-versus-poison
 * rule, see the README's reliability section):
 * <ul>
 * <li>{@link Kind#OUTAGE}: anything in the cause chain is an outage ({@link #PROJECT_RULES} and the
 *     service's own {@link OutageRule}s). The record is retried with capped back-off for as long as the
 *     outage lasts, never dead-lettered. An outage wins over everything else: a record the deserializer could
 *     not read because the registry was down is an outage, not poison.</li>
 * <li>{@link Kind#POISON}: a record that can never succeed: bytes the deserializer cannot read (bad magic
 *     byte, truncated, a schema id the registry says does not exist), a payload that cannot be converted, or
 *     an exception the binding lists as not retryable ({@code retryable-exceptions: {X: false}}). Dead-lettered
 *     at once, with the reason.</li>
 * <li>{@link Kind#FAILURE}: anything else (a fault of the handler's own). Retried as the binding says
 *     ({@code max-attempts}, back-off), then dead-lettered.</li>
 * </ul>
 */
public final class FailureClassifier {

    public enum Kind { OUTAGE, POISON, FAILURE }

    /** AWS error codes that mean "the call may succeed later": throttling and credentials being renewed. */
    private static final Set<String> AWS_TRANSIENT_CODES = Set.of(
            "ExpiredToken", "ExpiredTokenException", "RequestExpired", "RequestTimeTooSkewed", "InvalidClientTokenId",
            "AccessDenied", "AccessDeniedException", "Throttling", "ThrottlingException", "ThrottledException",
            "TooManyRequestsException", "RequestLimitExceeded", "SlowDown", "ServiceUnavailable", "InternalError",
            "RequestTimeout", "RequestTimeoutException", "ProvisionedThroughputExceededException",
            "ConcurrentModificationException");

    /**
     * The project's outage rules: the schema registry cannot answer; a stage says a dependency is unavailable
     * ({@link DependencyUnavailableException}); a Kafka client error Kafka calls
     * retriable (timeouts, no leader, not enough replicas, disconnects) or a broker refusing credentials (they
     * expire); an AWS client that got no answer (SdkClientException: network, timeout, no credentials yet), or
     * an AWS answer that is throttling, a 5xx, or refused or expired credentials (AccessDenied is counted here:
     * a credentials glitch or a missing grant is fixed outside the record, and dead-lettering every record
     * while it lasts would lose them); a network error or timeout of another client.
     */
    public static final List<OutageRule> PROJECT_RULES = List.of(
            e -> e instanceof SchemaRegistryUnavailableException || e instanceof DependencyUnavailableException,
            e -> e instanceof RetriableException || e instanceof AuthenticationException,
            e -> e instanceof SdkClientException,
            FailureClassifier::isTransientAwsAnswer,
            e -> e instanceof ConnectException || e instanceof SocketTimeoutException || e instanceof UnknownHostException
                    || e instanceof NoRouteToHostException || e instanceof HttpTimeoutException
                    || e instanceof java.util.concurrent.TimeoutException);

    private static final List<Class<? extends Throwable>> POISON_TYPES = List.of(DeserializationException.class,
            MessageConversionException.class, ConversionException.class, MethodArgumentResolutionException.class,
            NoSuchMethodException.class, ClassCastException.class);

    private final List<OutageRule> outageRules;
    private final Map<Class<? extends Throwable>, Boolean> bindingRetryable;

    /**
     * @param serviceRules     the service's own outage rules, added to {@link #PROJECT_RULES}
     * @param bindingRetryable the binding's {@code retryable-exceptions}: false means poison (dead-lettered at once)
     */
    public FailureClassifier(List<OutageRule> serviceRules, Map<Class<? extends Throwable>, Boolean> bindingRetryable) {
        List<OutageRule> rules = new ArrayList<>(PROJECT_RULES);
        rules.addAll(serviceRules);
        this.outageRules = List.copyOf(rules);
        this.bindingRetryable = Map.copyOf(bindingRetryable);
    }

    public static FailureClassifier projectRules() {
        return new FailureClassifier(List.of(), Map.of());
    }

    public Kind classify(Throwable failure) {
        List<Throwable> chain = causeChain(failure);
        if (chain.stream().anyMatch(e -> outageRules.stream().anyMatch(rule -> rule.isOutage(e)))) {
            return Kind.OUTAGE;
        }
        for (Throwable e : chain) {
            if (POISON_TYPES.stream().anyMatch(type -> type.isInstance(e))) {
                return Kind.POISON;
            }
            Boolean retryable = bindingRetryable.entrySet().stream()
                    .filter(entry -> entry.getKey().isInstance(e)).map(Map.Entry::getValue).findFirst().orElse(null);
            if (retryable != null) {
                return retryable ? Kind.FAILURE : Kind.POISON;
            }
        }
        return Kind.FAILURE;
    }

    private static boolean isTransientAwsAnswer(Throwable e) {
        if (!(e instanceof SdkServiceException service)) {
            return false;
        }
        int status = service.statusCode();
        if (service.isThrottlingException() || status >= 500 || status == 429 || status == 408 || status == 401) {
            return true;
        }
        return e instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                && AWS_TRANSIENT_CODES.contains(aws.awsErrorDetails().errorCode());
    }

    private static List<Throwable> causeChain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable e = failure; e != null && seen.add(e); e = e.getCause()) {
            chain.add(e);
        }
        return chain;
    }
}
