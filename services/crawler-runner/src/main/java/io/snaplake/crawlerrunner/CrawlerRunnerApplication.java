package io.snaplake.crawlerrunner;

import io.snaplake.crawlerrunner.config.CrawlerMethodProperties;
import io.snaplake.crawlerrunner.config.CrawlerRunnerProperties;
import io.snaplake.pipeline.AwsSettings;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** Stage 4: catalogues each copied day in Glue. */
@SpringBootApplication
@EnableConfigurationProperties({CrawlerRunnerProperties.class, CrawlerMethodProperties.class, AwsSettings.class})
public class CrawlerRunnerApplication {

    public static void main(String[] args) {
        SpringApplication.run(CrawlerRunnerApplication.class, args);
    }
}
