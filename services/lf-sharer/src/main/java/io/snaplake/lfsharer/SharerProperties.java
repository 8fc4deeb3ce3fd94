package io.snaplake.lfsharer;

import io.snaplake.lfsharer.aws.AwsRetry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The sharer's settings, checked at start-up.
 *
 * @param policyFile           the sharing policy (SNAPLAKE_SHARING_POLICY), mounted from a ConfigMap; required
 * @param lakeFormationEndpoint optional endpoint for Lake Formation alone (a local double; unset in production,
 *                             where snaplake.aws.endpoint or AWS's own endpoint applies)
 * @param retry                retries of throttled, racing (ConcurrentModificationException) and failed (5xx) calls
 */
@ConfigurationProperties("snaplake.sharer")
public record SharerProperties(Path policyFile, URI lakeFormationEndpoint, Retry retry) {

    public SharerProperties {
        if (policyFile == null || policyFile.toString().isBlank()) {
            throw new IllegalArgumentException("snaplake.sharer.policy-file (SNAPLAKE_SHARING_POLICY) must name the sharing policy file");
        }
        retry = retry == null ? new Retry(10, Duration.ofMillis(200), Duration.ofSeconds(30)) : retry;
    }

    public record Retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        public Retry {
            policy(maxAttempts, initialBackoff, maxBackoff);
        }

        public AwsRetry policy() {
            return policy(maxAttempts, initialBackoff, maxBackoff);
        }

        private static AwsRetry policy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
            try {
                return new AwsRetry(maxAttempts, initialBackoff, maxBackoff);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("snaplake.sharer.retry: " + e.getMessage(), e);
            }
        }
    }
}
