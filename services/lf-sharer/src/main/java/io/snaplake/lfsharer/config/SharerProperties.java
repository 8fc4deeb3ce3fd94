package io.snaplake.lfsharer.config;

import io.snaplake.pipeline.retry.RetryPolicy;
import io.snaplake.sharing.aws.AwsRetry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The sharer's settings, checked at start-up.
 *
 * @param policyFile            the sharing policy file, mounted from a ConfigMap; required
 * @param lakeFormationEndpoint an endpoint for Lake Formation alone (a local double); unset in production, where
 *                              snaplake.aws.endpoint or AWS's own endpoint applies
 * @param retry                 retries of throttled, racing (ConcurrentModificationException) and failed (5xx) AWS calls
 * @param analytics             the analytics side, done by the sharer when a role in the recipient account is given
 */
@ConfigurationProperties("snaplake.sharer")
public record SharerProperties(Path policyFile, URI lakeFormationEndpoint, Retry retry, Analytics analytics) {

    public SharerProperties {
        if (policyFile == null || policyFile.toString().isBlank()) {
            throw new IllegalArgumentException("snaplake.sharer.policy-file (SNAPLAKE_SHARER_POLICYFILE) must name the sharing policy file");
        }
        retry = retry == null ? new Retry(10, Duration.ofMillis(200), Duration.ofSeconds(30)) : retry;
        analytics = analytics == null ? new Analytics(null, null) : analytics;
    }

    /**
     * @param roleArn     a role in the recipient account that the sharer assumes to accept the RAM invitation and
     *                    create resource links; unset: the recipient account does it itself
     * @param ramEndpoint an endpoint for RAM alone (a local double); unset in production
     */
    public record Analytics(String roleArn, URI ramEndpoint) {
        private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):role/.+");

        public Analytics {
            roleArn = roleArn == null || roleArn.isBlank() ? null : roleArn;
            if (roleArn != null && !ROLE_ARN.matcher(roleArn).matches()) {
                throw new IllegalArgumentException("snaplake.sharer.analytics.role-arn (SNAPLAKE_SHARER_ANALYTICS_ROLEARN) must be an IAM role"
                        + " ARN in the recipient account, e.g. arn:aws:iam::222222222222:role/snaplake-recipient, got: " + roleArn);
            }
        }

        public Optional<String> role() {
            return Optional.ofNullable(roleArn);
        }

        /** The recipient account: the role's. */
        public Optional<String> accountId() {
            return role().map(arn -> {
                Matcher matcher = ROLE_ARN.matcher(arn);
                matcher.matches();
                return matcher.group(1);
            });
        }
    }

    /**
     * @param maxAttempts    attempts of one AWS call (or batch entry) in all, the first included
     * @param initialBackoff the wait before the second attempt; it doubles with each attempt
     * @param maxBackoff     the longest wait between two attempts
     */
    public record Retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        public Retry {
            policy(maxAttempts, initialBackoff, maxBackoff);
        }

        public AwsRetry awsRetry() {
            return new AwsRetry(policy(maxAttempts, initialBackoff, maxBackoff));
        }

        private static RetryPolicy policy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
            try {
                return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("snaplake.sharer.retry: " + e.getMessage(), e);
            }
        }
    }
}
