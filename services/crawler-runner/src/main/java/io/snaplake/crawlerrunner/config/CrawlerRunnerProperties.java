package io.snaplake.crawlerrunner.config;

import io.snaplake.crawlerrunner.domain.GlueNames;
import io.snaplake.pipeline.retry.RetryPolicy;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * The crawler-runner's settings, checked at start-up.
 *
 * @param databaseTemplate the Glue database of a cluster; {@code {cluster}} is replaced, the result lower-cased
 *                         with any character other than a-z, 0-9 and _ made an underscore
 * @param concurrency      tables registered in parallel (each holds one Glue request in flight at a time)
 * @param footerReadSize   bytes read from the end of each Parquet file in one ranged GET (a larger footer takes a second GET)
 * @param retry            retries of throttled, timed-out and failed (5xx) Glue and S3 requests: max-attempts,
 *                         initial-backoff, max-backoff
 */
@ConfigurationProperties("snaplake.crawler")
public record CrawlerRunnerProperties(String databaseTemplate, int concurrency, DataSize footerReadSize,
        @NestedConfigurationProperty RetryPolicy retry) {

    public CrawlerRunnerProperties {
        databaseTemplate = databaseTemplate == null || databaseTemplate.isBlank() ? "{cluster}" : databaseTemplate;
        if (!databaseTemplate.contains("{cluster}")) {
            throw new IllegalArgumentException("snaplake.crawler.database-template must contain {cluster}, got: " + databaseTemplate);
        }
        try {
            GlueNames.database(databaseTemplate, "cluster");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("snaplake.crawler.database-template: " + e.getMessage(), e);
        }
        if (concurrency < 1 || concurrency > 256) {
            throw new IllegalArgumentException("snaplake.crawler.concurrency must be 1..256, got " + concurrency);
        }
        footerReadSize = footerReadSize == null ? DataSize.ofKilobytes(64) : footerReadSize;
        if (footerReadSize.toBytes() < 16 || footerReadSize.toBytes() > DataSize.ofMegabytes(16).toBytes()) {
            throw new IllegalArgumentException("snaplake.crawler.footer-read-size must be 16B..16MB, got " + footerReadSize);
        }
        retry = retry == null ? new RetryPolicy(10, Duration.ofMillis(200), Duration.ofSeconds(20)) : retry;
    }
}
