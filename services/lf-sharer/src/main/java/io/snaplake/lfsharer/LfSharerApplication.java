package io.snaplake.lfsharer;

import io.snaplake.lfsharer.config.SharerProperties;
import io.snaplake.pipeline.AwsSettings;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** Stage 5: shares each catalogued day through Lake Formation, as the sharing policy declares. */
@SpringBootApplication
@EnableConfigurationProperties({SharerProperties.class, AwsSettings.class})
public class LfSharerApplication {

    public static void main(String[] args) {
        SpringApplication.run(LfSharerApplication.class, args);
    }
}
