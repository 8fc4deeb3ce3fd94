package io.snaplake.parquetcopier;

import io.snaplake.pipeline.AwsSettings;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** Stage 3: copies each completed export's Parquet files into the lake's date layout. */
@SpringBootApplication
@EnableConfigurationProperties({CopierProperties.class, AwsSettings.class})
public class ParquetCopierApplication {

    public static void main(String[] args) {
        SpringApplication.run(ParquetCopierApplication.class, args);
    }
}
