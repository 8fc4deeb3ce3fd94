package io.snaplake.crawlerrunner.aws;

import io.snaplake.crawlerrunner.domain.CrawlerDefinition;
import io.snaplake.crawlerrunner.domain.Crawlers;
import java.util.Optional;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Crawler;
import software.amazon.awssdk.services.glue.model.CrawlerRunningException;

/** {@link Crawlers} on Glue's API: GetCrawler, CreateCrawler, StartCrawler, each request retried by {@link AwsCalls}. */
public final class GlueCrawlers implements Crawlers {

    private final GlueClient glue;
    private final GlueRequests requests;

    public GlueCrawlers(GlueClient glue, AwsCalls calls) {
        this.glue = glue;
        this.requests = new GlueRequests(glue, calls);
    }

    @Override
    public void ensure(CrawlerDefinition definition) {
        requests.ensure("glue:GetCrawler", () -> glue.getCrawler(get -> get.name(definition.name())),
                "glue:CreateCrawler", () -> glue.createCrawler(create -> create
                        .name(definition.name())
                        .role(definition.role())
                        .databaseName(definition.database())
                        .description("snaplake: catalogues one cluster's lake folder (crawler-runner's crawler method)")
                        .targets(targets -> targets.s3Targets(s3 -> s3.path(definition.s3Target())))
                        .schemaChangePolicy(policy -> policy.updateBehavior(definition.updateBehavior())
                                .deleteBehavior(definition.deleteBehavior()))
                        .recrawlPolicy(policy -> policy.recrawlBehavior(definition.recrawlBehavior()))
                        // One table per lake table folder, its date= folders as partitions, whatever the files look like.
                        .configuration("{\"Version\":1.0,\"Grouping\":{\"TableLevelConfiguration\":" + definition.tableLevel() + "}}")));
    }

    @Override
    public CrawlerStatus status(String crawler) {
        Crawler found = requests.call("glue:GetCrawler", () -> glue.getCrawler(get -> get.name(crawler))).crawler();
        return new CrawlerStatus(found.stateAsString(), Optional.ofNullable(found.lastCrawl()).map(last -> new LastCrawl(
                outcome(last.statusAsString()), last.startTime(), last.errorMessage(), last.logGroup(), last.logStream())));
    }

    @Override
    public boolean start(String crawler) {
        return requests.unlessRefused(CrawlerRunningException.class, "glue:StartCrawler", () -> glue.startCrawler(start -> start.name(crawler)));
    }

    /**
     * Glue's LastCrawl.Status: SUCCEEDED, CANCELLED or FAILED. moto 5.2 names them COMPLETED and STOPPED
     * (and reports RUNNING while a crawl runs); those are read as Glue's.
     */
    static Outcome outcome(String status) {
        return switch (status == null ? "" : status) {
            case "SUCCEEDED", "COMPLETED" -> Outcome.SUCCEEDED;
            case "CANCELLED", "STOPPED" -> Outcome.CANCELLED;
            case "FAILED" -> Outcome.FAILED;
            default -> Outcome.RUNNING;
        };
    }
}
