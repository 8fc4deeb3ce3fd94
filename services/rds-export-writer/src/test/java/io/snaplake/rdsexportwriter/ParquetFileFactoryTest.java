package io.snaplake.rdsexportwriter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ParquetFileFactoryTest {

    @Test
    void buildsAGzipParquetFile_withoutHadoop() {
        byte[] file = ParquetFileFactory.parquet("public.orders", 1, 100, Instant.parse("2026-11-20T03:10:00Z"));

        assertThat(new String(file, 0, 4)).isEqualTo("PAR1");
        assertThat(new String(file, file.length - 4, 4)).isEqualTo("PAR1");
    }
}
