package io.snaplake.crawlerrunner.domain;

import java.util.Arrays;

/**
 * A cluster's crawler: over the cluster's lake folder, into the cluster's Glue database.
 *
 * @param s3Target   the cluster's lake folder, {@code s3://<lake bucket>/<lake prefix>/<cluster>/}
 * @param tableLevel the level of the table folders in the path, the bucket being level 1 (Glue's
 *                   TableLevelConfiguration), so that each lake table folder is one table and its {@code date=}
 *                   folders are partitions, whatever the files look like
 */
public record CrawlerDefinition(String name, String role, String database, String s3Target, int tableLevel,
        String updateBehavior, String deleteBehavior, String recrawlBehavior) {

    /**
     * The crawler of the cluster whose table folder {@code tableLocation} is ({@code s3://bucket/.../<cluster>/<db>/<table>/}):
     * it crawls the folder two levels up.
     */
    public static CrawlerDefinition over(String tableLocation, String name, String role, String database, String updateBehavior,
            String deleteBehavior, String recrawlBehavior) {
        S3Location location = S3Location.parse(tableLocation);
        String[] segments = Arrays.stream(location.key().split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
        if (segments.length < 3) {
            throw new IllegalArgumentException("table folder " + tableLocation + " is not <cluster>/<database>/<table>/ in the lake: "
                    + "cannot tell the cluster's folder to crawl");
        }
        String clusterFolder = String.join("/", Arrays.copyOf(segments, segments.length - 2)) + "/";
        return new CrawlerDefinition(name, role, database, "s3://" + location.bucket() + "/" + clusterFolder, segments.length + 1,
                updateBehavior, deleteBehavior, recrawlBehavior);
    }
}
