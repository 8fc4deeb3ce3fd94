package io.snaplake.crawlerrunner.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The crawler method, chosen per cluster: the clusters listed in {@code clusters} are catalogued by a Glue
 * crawler over their lake folder; every other cluster by direct registration (the default).
 *
 * @param clusters        clusters catalogued by a crawler (empty: none)
 * @param nameTemplate    the crawler of a cluster, with {@code {cluster}}
 * @param role            the IAM role the crawler runs as (required when {@code clusters} is not empty)
 * @param updateBehavior  SchemaChangePolicy.UpdateBehavior: UPDATE_IN_DATABASE or LOG
 * @param deleteBehavior  SchemaChangePolicy.DeleteBehavior: LOG, DEPRECATE_IN_DATABASE or DELETE_FROM_DATABASE
 * @param recrawlBehavior RecrawlPolicy.RecrawlBehavior: CRAWL_EVERYTHING or CRAWL_NEW_FOLDERS_ONLY (needs LOG/LOG)
 * @param pollInterval    how often the crawlers of clusters with pending copies are asked how they are doing
 * @param coalesceWindow  a crawl starts once the newest pending copy of its cluster is this old, so that copies
 *                        finishing close together share one crawl
 * @param doneRetention   how long the CrawlCompleted of a crawled copy is kept to answer a replay of it without a
 *                        crawl (then it is tombstoned on the state topic, and a replay crawls again)
 */
@ConfigurationProperties("snaplake.crawler.crawler-method")
public record CrawlerMethodProperties(List<String> clusters, String nameTemplate, String role, String updateBehavior,
        String deleteBehavior, String recrawlBehavior, Duration pollInterval, Duration coalesceWindow, Duration doneRetention) {

    private static final Set<String> UPDATE = Set.of("UPDATE_IN_DATABASE", "LOG");
    private static final Set<String> DELETE = Set.of("LOG", "DEPRECATE_IN_DATABASE", "DELETE_FROM_DATABASE");
    private static final Set<String> RECRAWL = Set.of("CRAWL_EVERYTHING", "CRAWL_NEW_FOLDERS_ONLY");

    public CrawlerMethodProperties {
        clusters = clusters == null ? List.of() : clusters.stream().map(String::trim).filter(c -> !c.isEmpty()).toList();
        nameTemplate = nameTemplate == null || nameTemplate.isBlank() ? "snaplake-{cluster}" : nameTemplate;
        if (!nameTemplate.contains("{cluster}")) {
            throw new IllegalArgumentException("snaplake.crawler.crawler-method.name-template must contain {cluster}, got: " + nameTemplate);
        }
        updateBehavior = orDefault(updateBehavior, "UPDATE_IN_DATABASE", UPDATE, "update-behavior");
        deleteBehavior = orDefault(deleteBehavior, "LOG", DELETE, "delete-behavior");
        recrawlBehavior = orDefault(recrawlBehavior, "CRAWL_EVERYTHING", RECRAWL, "recrawl-behavior");
        if (recrawlBehavior.equals("CRAWL_NEW_FOLDERS_ONLY") && !(updateBehavior.equals("LOG") && deleteBehavior.equals("LOG"))) {
            throw new IllegalArgumentException("snaplake.crawler.crawler-method: recrawl-behavior CRAWL_NEW_FOLDERS_ONLY requires "
                    + "update-behavior LOG and delete-behavior LOG (Glue refuses the crawler otherwise), got "
                    + updateBehavior + "/" + deleteBehavior);
        }
        if (!clusters.isEmpty() && (role == null || role.isBlank())) {
            throw new IllegalArgumentException("snaplake.crawler.crawler-method.role is required: clusters "
                    + clusters + " are catalogued by a crawler, which runs as that role");
        }
        pollInterval = pollInterval == null ? Duration.ofSeconds(15) : pollInterval;
        coalesceWindow = coalesceWindow == null ? Duration.ofSeconds(30) : coalesceWindow;
        if (pollInterval.isNegative() || pollInterval.isZero() || coalesceWindow.isNegative()) {
            throw new IllegalArgumentException("snaplake.crawler.crawler-method: poll-interval must be > 0 and coalesce-window >= 0, got "
                    + pollInterval + " and " + coalesceWindow);
        }
        doneRetention = doneRetention == null ? Duration.ofDays(40) : doneRetention;
        if (doneRetention.isNegative() || doneRetention.isZero()) {
            throw new IllegalArgumentException("snaplake.crawler.crawler-method.done-retention must be > 0, got "
                    + doneRetention);
        }
    }

    public boolean crawls(String cluster) {
        return clusters.contains(cluster);
    }

    /**
     * The crawler of a cluster: the template with {@code {cluster}} replaced (crawler names may hold hyphens, so
     * {@code snaplake-orders} matches the role's {@code crawler/<NamePrefix>-*} permission).
     */
    public String crawlerName(String cluster) {
        String name = nameTemplate.replace("{cluster}", cluster);
        if (name.length() > 255) {
            throw new IllegalArgumentException("crawler name " + name + " is longer than Glue's 255 characters");
        }
        return name;
    }

    private static String orDefault(String value, String fallback, Set<String> allowed, String name) {
        String chosen = value == null || value.isBlank() ? fallback : value.trim();
        if (!allowed.contains(chosen)) {
            throw new IllegalArgumentException("snaplake.crawler.crawler-method." + name + " must be one of " + allowed + ", got " + chosen);
        }
        return chosen;
    }
}
