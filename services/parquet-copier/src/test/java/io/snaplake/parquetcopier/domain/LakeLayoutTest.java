package io.snaplake.parquetcopier.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LakeLayoutTest {

    private final LakeLayout lake = LakeLayout.of("lake", "raw");
    private final ExportTable orders = new ExportTable("ordersdb", "public.orders", "COMPLETE", null);
    private final String partition = lake.partitionPrefix("orders", orders, LocalDate.parse("2026-11-20"));

    @Test
    void placesATableDay_underClusterDatabaseTableAndDate() {
        assertThat(partition).isEqualTo("raw/orders/ordersdb/public_orders/date=2026-11-20/");
        assertThat(lake.location(partition)).isEqualTo("s3://lake/raw/orders/ordersdb/public_orders/date=2026-11-20/");
    }

    @Test
    void foldsBatchFoldersIntoTheFileName_forBothNamingConventions() {
        assertThat(lake.targetKey(partition, "1/part-00000-a.gz.parquet")).isEqualTo(partition + "1_part-00000-a.gz.parquet");
        assertThat(lake.targetKey(partition, "a1b2c3/part-00000-a.gz.parquet")).isEqualTo(partition + "a1b2c3_part-00000-a.gz.parquet");
        assertThat(lake.targetKey(partition, "part-00000-a.gz.parquet")).isEqualTo(partition + "part-00000-a.gz.parquet");
    }

    @Test
    void neverMapsTwoSourceKeysToOneTarget_evenWithUnderscoresInFolderNames() {
        assertThat(lake.targetKey(partition, "a_b/part-1.gz.parquet"))
                .isNotEqualTo(lake.targetKey(partition, "a/b_part-1.gz.parquet"));
        assertThat(lake.targetKey(partition, "1/part-00000-a.gz.parquet"))
                .isNotEqualTo(lake.targetKey(partition, "2/part-00000-a.gz.parquet"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../escape.gz.parquet", "1/../../x.gz.parquet", "/abs.gz.parquet", "1//part.gz.parquet",
            "./part.gz.parquet", "a\\..\\b.gz.parquet", "", "1/part\n.gz.parquet"})
    void refusesKeysThatWouldEscapeTheTablePath(String hostile) {
        assertThatThrownBy(() -> lake.targetKey(partition, hostile))
                .isInstanceOf(UnsafeKeyException.class)
                .hasMessageContaining("refused source key part");
    }

    @Test
    void refusesAnythingButParquet_soTheCrawlerSeesOnlyData() {
        assertThatThrownBy(() -> lake.targetKey(partition, "1/_SUCCESS"))
                .isInstanceOf(UnsafeKeyException.class)
                .hasMessageContaining("only *.gz.parquet");
    }

    @Test
    void refusesTableAndClusterNamesThatWouldEscapeTheLakePrefix() {
        ExportTable hostile = new ExportTable("..", "public.orders", "COMPLETE", null);
        assertThatThrownBy(() -> lake.partitionPrefix("orders", hostile, LocalDate.parse("2026-11-20")))
                .isInstanceOf(UnsafeKeyException.class).hasMessageContaining("database '..'");
        assertThatThrownBy(() -> lake.partitionPrefix("a/b", orders, LocalDate.parse("2026-11-20")))
                .isInstanceOf(UnsafeKeyException.class).hasMessageContaining("cluster 'a/b'");
    }

    @Test
    void refusesATemplateWithoutTableOrDate() {
        assertThatThrownBy(() -> new LakeLayout("lake", "", "{cluster}/{database}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{table} and {date}");
    }
}
