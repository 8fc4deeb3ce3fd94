package io.snaplake.rdsexportwriter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.List;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Util;
import org.junit.jupiter.api.Test;

class ParquetFileFactoryTest {

    @Test
    void buildsAGzipParquetFile_withoutHadoop() {
        byte[] file = ParquetFileFactory.parquet("public.orders", 1, 100, Instant.parse("2026-11-20T03:10:00Z"));

        assertThat(new String(file, 0, 4)).isEqualTo("PAR1");
        assertThat(new String(file, file.length - 4, 4)).isEqualTo("PAR1");
    }

    @Test
    void writesEveryMySqlAndPostgreSqlColumn_withItsParquetType() throws IOException {
        for (List<RdsColumn> columns : List.of(RdsColumns.mysql(), RdsColumns.postgresql())) {
            byte[] file = ParquetFileFactory.parquet("t", columns, 1, 20);

            FileMetaData footer = footer(file);
            assertThat(footer.getNum_rows()).isEqualTo(20);
            assertThat(footer.getSchema().subList(1, footer.getSchema().size())).extracting(SchemaElement::getName)
                    .containsExactlyElementsOf(columns.stream().map(RdsColumn::name).toList());
        }
    }

    private static FileMetaData footer(byte[] file) throws IOException {
        int footerLength = ByteBuffer.wrap(file, file.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return Util.readFileMetaData(new ByteArrayInputStream(file, file.length - 8 - footerLength, footerLength));
    }
}
