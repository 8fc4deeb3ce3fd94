package io.snaplake.parquetcopier;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Stage 3: copies each completed export's Parquet files into the lake's date layout. */
@SpringBootApplication
public class ParquetCopierApplication {

    public static void main(String[] args) {
        SpringApplication.run(ParquetCopierApplication.class, args);
    }
}
