package io.snaplake.cli.ops;

import static io.snaplake.cli.ops.DayEvents.asReplay;
import static io.snaplake.cli.ops.DayEvents.created;
import static io.snaplake.cli.ops.DayEvents.crawlCompleted;
import static io.snaplake.cli.ops.DayEvents.exportCompleted;
import static io.snaplake.cli.ops.DayEvents.exportStarted;
import static io.snaplake.cli.ops.DayEvents.failure;
import static io.snaplake.cli.ops.DayEvents.parquetCopied;
import static io.snaplake.cli.ops.DayEvents.snapshot;
import static io.snaplake.cli.ops.DayEvents.tablesShared;
import static org.assertj.core.api.Assertions.assertThat;

import io.snaplake.events.SnapshotCreated;
import io.snaplake.events.SnapshotRef;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.pipeline.Stage;
import io.snaplake.pipeline.Topic;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import picocli.CommandLine;

/**
 * {@code snaplake history} on the real broker and registry: a day's events as the stages write them
 * (published here, each record stamped with its event's time), read back through the day's window; the
 * page opened in Debian's chromium through Selenium.
 */
class HistoryCommandTest {

    /** A recent day: the test broker's default retention (7 days) keeps its records. */
    static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).minusDays(3);

    static Instant at(int dayOffset, int hour, int minute) {
        return DAY.plusDays(dayOffset).atTime(hour, minute).toInstant(ZoneOffset.UTC);
    }

    @BeforeAll
    static void publishTheDay() {
        LocalInfra.kafka().createTopics(Arrays.stream(Topic.values()).map(Topic::topicName).toArray(String[]::new));
        try (DayEvents.Publisher publisher = new DayEvents.Publisher(LocalInfra.kafka().bootstrapServers(), LocalInfra.registry().url())) {
            SnapshotRef alpha = snapshot("alpha", DAY);
            publisher.publish(Topic.SNAPSHOTS_CREATED, created(alpha, at(0, 3, 1)));
            publisher.publish(Topic.EXPORTS_STARTED, exportStarted(alpha, at(0, 3, 2)));
            publisher.publish(Topic.EXPORTS_COMPLETED, exportCompleted(alpha, at(0, 3, 40), 12));
            publisher.publish(Topic.PARQUET_COPIED, parquetCopied(alpha, at(0, 3, 42), 120, 5L * 1024 * 1024 * 1024));
            publisher.publish(Topic.CRAWLS_COMPLETED, crawlCompleted(alpha, at(0, 3, 43), 4));
            publisher.publish(Topic.TABLES_SHARED, tablesShared(alpha, at(0, 3, 44), List.of("orders", "order_lines", "products"), "customers"));

            // beta: the export fails; a replay the next morning exports, then the copy fails.
            SnapshotRef beta = snapshot("beta", DAY);
            SnapshotCreated betaCreated = created(beta, at(0, 3, 5));
            publisher.publish(Topic.SNAPSHOTS_CREATED, betaCreated);
            publisher.publish(Topic.EXPORTS_STARTED, exportStarted(beta, at(0, 3, 6)));
            publisher.publish(Topic.EXPORT_SCHEDULER_FAILURES, failure(beta, at(0, 3, 30), Stage.EXPORT_SCHEDULER, "EXPORT_FAILED",
                    "RDS export snaplake-beta FAILED: S3 bucket access denied", Map.of("awsErrorCode", "AccessDenied")));
            publisher.publish(Topic.SNAPSHOTS_CREATED, DayEvents.replayedByCli(created(beta, at(1, 9, 0)), betaCreated, at(1, 9, 0)));
            publisher.publish(Topic.EXPORTS_COMPLETED, asReplay(exportCompleted(beta, at(1, 9, 20), 7), betaCreated, at(1, 9, 20)));
            publisher.publish(Topic.PARQUET_COPIER_FAILURES, asReplay(failure(beta, at(1, 9, 21), Stage.PARQUET_COPIER,
                    "TABLE_COPY_FAILED", "public.invoices: 2 of 6 files could not be copied", Map.of("awsErrorCode", "SlowDown")),
                    betaCreated, at(1, 9, 21)));

            // gamma: still exporting.
            SnapshotRef gamma = snapshot("gamma", DAY);
            publisher.publish(Topic.SNAPSHOTS_CREATED, created(gamma, at(0, 3, 10)));
            publisher.publish(Topic.EXPORTS_STARTED, exportStarted(gamma, at(0, 3, 11)));

            // Beside the day: alpha's day before (in the window, another day), a record about the day written
            // before the window (never read), and bytes that are not our Avro.
            SnapshotRef alphaDayBefore = snapshot("alpha", DAY.minusDays(1));
            publisher.publish(Topic.SNAPSHOTS_CREATED, created(alphaDayBefore, at(-1, 3, 1)));
            publisher.publish(Topic.SNAPSHOTS_CREATED, created(snapshot("early", DAY), at(-3, 12, 0)));
            publisher.publishRaw(Topic.PARQUET_COPIER_FAILURES.topicName(), at(0, 4, 0), "not avro".getBytes(StandardCharsets.UTF_8));
            publisher.flush();
        }
    }

    private static ChromeDriver browser;

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void showsEachStageOfACluster_withSizesFailuresAndReplays() {
        String out = run("--date", DAY.toString(), "--cluster", "beta");

        String d0 = DAY.toString().substring(5);
        String d1 = DAY.plusDays(1).toString().substring(5);
        assertThat(out).startsWith(String.format("""
                beta  %1$s  (rds:beta-%1$s-03-00)  FAILED at parquet-copier
                  stage              status      start (UTC)    end (UTC)       duration  size
                  snapshot-listener  done        %2$s 03:00:00 %2$s 03:05:00     5m00s  via event
                  export-scheduler   done        %3$s 09:00:00 %3$s 09:20:00    20m00s  7 GB extracted; replayed once (last %3$s 09:00:00)
                  parquet-copier     FAILED      %3$s 09:20:00 %3$s 09:21:00     1m00s  replayed once (last %3$s 09:20:00)
                  crawler-runner     -
                  lf-sharer          -
                  ! export-scheduler failed %2$s 03:30:00: EXPORT_FAILED: RDS export snaplake-beta FAILED: S3 bucket access denied [awsErrorCode=AccessDenied]
                    replay: ./snaplake replay --date %1$s --cluster beta --from export-scheduler
                  ! parquet-copier failed %3$s 09:21:00 (during a replay): TABLE_COPY_FAILED: public.invoices: 2 of 6 files could not be copied [awsErrorCode=SlowDown]
                    replay: ./snaplake replay --date %1$s --cluster beta --from parquet-copier

                read\s""", DAY, DAY.toString().substring(5), DAY.plusDays(1).toString().substring(5)));
    }

    @Test
    void showsEveryClusterOfTheDay_andNothingOfOtherDaysOrFromBeforeTheWindow() {
        String out = run("--date", DAY.toString());

        String d0 = DAY.toString().substring(5);
        assertThat(out).contains(String.format("""
                alpha  %1$s  (rds:alpha-%1$s-03-00)  done
                  stage              status      start (UTC)    end (UTC)       duration  size
                  snapshot-listener  done        %2$s 03:00:00 %2$s 03:01:00     1m00s  via event
                  export-scheduler   done        %2$s 03:01:00 %2$s 03:40:00    39m00s  12 GB extracted
                  parquet-copier     done        %2$s 03:40:00 %2$s 03:42:00     2m00s  120 files copied, 5.0 GiB
                  crawler-runner     done        %2$s 03:42:00 %2$s 03:43:00     1m00s  4 tables catalogued
                  lf-sharer          done        %2$s 03:43:00 %2$s 03:44:00     1m00s  4 tables shared (1 filtered)
                """, DAY, d0), String.format("""
                gamma  %1$s  (rds:gamma-%1$s-03-00)  waiting at export-scheduler
                  stage              status      start (UTC)    end (UTC)       duration  size
                  snapshot-listener  done        %2$s 03:00:00 %2$s 03:10:00    10m00s  via event
                  export-scheduler   pending     %2$s 03:10:00
                  parquet-copier     -
                """, DAY, d0), "beta  " + DAY + "  (rds:beta-" + DAY + "-03-00)  FAILED at parquet-copier",
                "1 records were not snaplake events");
        // The day before is another day; "early" was written before the day's window, so it was never read.
        assertThat(out).doesNotContain("rds:alpha-" + DAY.minusDays(1), "early");
    }

    @Test
    void writesAPage_thatLoadsWithoutScriptErrors_andShowsEveryClusterAndFailure() throws Exception {
        Path page = Path.of("target", "history-test", "day.html");
        String out = run("--date", DAY.toString(), "--html", page.toString());
        assertThat(out).contains("page written to " + page.toAbsolutePath());

        browser = HeadlessChromium.start();
        browser.get(page.toUri().toString());

        assertThat(HeadlessChromium.errors(browser)).isEmpty();
        assertThat(browser.findElement(By.tagName("body")).getDomAttribute("data-ready")).isEqualTo("true");
        List<WebElement> clusters = browser.findElements(By.cssSelector("section.cluster"));
        assertThat(clusters).extracting(section -> section.getDomAttribute("data-cluster")).containsExactly("alpha", "beta", "gamma");
        assertThat(clusters).extracting(section -> section.findElement(By.tagName("h2")).getText())
                .containsExactly("alpha done", "beta failed at parquet-copier", "gamma waiting at export-scheduler");
        List<WebElement> failures = browser.findElements(By.cssSelector(".failure"));
        assertThat(failures).extracting(WebElement::getText).containsExactly(
                "export-scheduler failed at " + DAY.toString().substring(5) + " 03:30:00 UTC: EXPORT_FAILED\n"
                        + "RDS export snaplake-beta FAILED: S3 bucket access denied [awsErrorCode=AccessDenied]\n"
                        + "./snaplake replay --date " + DAY + " --cluster beta --from export-scheduler\ncopy",
                "parquet-copier failed at " + DAY.plusDays(1).toString().substring(5) + " 09:21:00 UTC (during a replay): TABLE_COPY_FAILED\n"
                        + "public.invoices: 2 of 6 files could not be copied [awsErrorCode=SlowDown]\n"
                        + "./snaplake replay --date " + DAY + " --cluster beta --from parquet-copier\ncopy");
        // In red: the failure boxes and the failed stage's bar.
        assertThat(failures).allSatisfy(failure -> assertThat(failure.getCssValue("color")).isEqualTo("rgba(130, 7, 30, 1)"));
        assertThat(clusters.get(1).findElements(By.cssSelector(".bar.FAILED"))).singleElement()
                .satisfies(bar -> assertThat(bar.getCssValue("background-color")).isEqualTo("rgba(209, 36, 47, 1)"));

        // The page's script works: "only failed" hides the clusters that did not fail.
        browser.findElement(By.id("only-failed")).click();
        assertThat(browser.findElements(By.cssSelector("section.cluster")).stream().filter(WebElement::isDisplayed))
                .extracting(section -> section.getDomAttribute("data-cluster")).containsExactly("beta");
        assertThat(HeadlessChromium.errors(browser)).isEmpty();
    }

    @Test
    void theBrowserCheckSeesAScriptError() throws Exception {
        Path page = Files.createDirectories(Path.of("target", "history-test")).resolve("broken.html");
        Files.writeString(page, "<!DOCTYPE html><html><body><script>undefinedFunction();</script></body></html>");
        if (browser == null) {
            browser = HeadlessChromium.start();
        }
        HeadlessChromium.errors(browser); // what an earlier page left
        browser.get(page.toUri().toString());

        assertThat(HeadlessChromium.errors(browser)).singleElement().asString().contains("undefinedFunction is not defined");
    }

    private static String run(String... args) {
        HistoryCommand command = new HistoryCommand();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        command.out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        command.endpoints = KafkaEndpoints.of(LocalInfra.kafka().bootstrapServers(), LocalInfra.registry().url());
        int exit = new CommandLine(command).execute(args);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(out).isZero();
        return out;
    }
}
