package io.snaplake.lab.demo;

import io.snaplake.rdsexportwriter.JdkGzipCodecFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DataPageHeaderV2;
import org.apache.parquet.format.DictionaryPageHeader;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;

/**
 * One row group of a Parquet file held in memory, as Parquet's record readers take it: the pages of the
 * columns asked for, decompressed with the JDK's gzip. Parquet's own file reader is not used: building its
 * read options loads Hadoop classes, and the lab runs without Hadoop (docs/design/lab.md).
 */
final class RowGroupPages implements PageReadStore {

    private static final ParquetMetadataConverter METADATA = new ParquetMetadataConverter();
    private static final JdkGzipCodecFactory GZIP = new JdkGzipCodecFactory();
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private final long rowCount;
    private final Map<ColumnPath, PageReader> columns = new HashMap<>();

    /** The pages of {@code block}'s chunks of {@code wanted}, read from {@code file}. */
    RowGroupPages(byte[] file, BlockMetaData block, List<ColumnDescriptor> wanted) throws IOException {
        this.rowCount = block.getRowCount();
        for (ColumnChunkMetaData chunk : block.getColumns()) {
            for (ColumnDescriptor column : wanted) {
                if (chunk.getPath().equals(ColumnPath.get(column.getPath()))) {
                    columns.put(chunk.getPath(), chunkPages(file, chunk, column));
                }
            }
        }
    }

    /** The footer: the schema and where each row group's column chunks are. */
    static ParquetMetadata footer(byte[] file) throws IOException {
        int length = file.length;
        if (length < 12 || !ByteBuffer.wrap(file, length - 4, 4).equals(ByteBuffer.wrap(MAGIC))) {
            throw new IOException("not a Parquet file: no PAR1 at its end");
        }
        int footerLength = ByteBuffer.wrap(file, length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (footerLength <= 0 || footerLength > length - 12) {
            throw new IOException("not a Parquet file: a footer of " + footerLength + " bytes in a file of " + length);
        }
        return METADATA.readParquetMetadata(new ByteArrayInputStream(file, length - 8 - footerLength, footerLength),
                ParquetMetadataConverter.NO_FILTER);
    }

    @Override
    public PageReader getPageReader(ColumnDescriptor column) {
        PageReader pages = columns.get(ColumnPath.get(column.getPath()));
        if (pages == null) {
            throw new IllegalArgumentException("column " + column + " was not read");
        }
        return pages;
    }

    @Override
    public long getRowCount() {
        return rowCount;
    }

    private static PageReader chunkPages(byte[] file, ColumnChunkMetaData chunk, ColumnDescriptor column) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(file, Math.toIntExact(chunk.getStartingPos()),
                Math.toIntExact(chunk.getTotalSize()));
        Statistics<?> noStatistics = Statistics.getBuilderForReading(column.getPrimitiveType()).build();
        DictionaryPage dictionary = null;
        Queue<DataPage> pages = new ArrayDeque<>();
        long values = 0;
        while (values < chunk.getValueCount()) {
            PageHeader header = Util.readPageHeader(in);
            byte[] page = in.readNBytes(header.getCompressed_page_size());
            switch (header.getType()) {
                case DICTIONARY_PAGE -> {
                    DictionaryPageHeader dictionaryHeader = header.getDictionary_page_header();
                    dictionary = new DictionaryPage(decompress(chunk.getCodec(), page, header.getUncompressed_page_size()),
                            dictionaryHeader.getNum_values(), METADATA.getEncoding(dictionaryHeader.getEncoding()));
                }
                case DATA_PAGE -> {
                    DataPageHeader dataHeader = header.getData_page_header();
                    pages.add(new DataPageV1(decompress(chunk.getCodec(), page, header.getUncompressed_page_size()),
                            dataHeader.getNum_values(), header.getUncompressed_page_size(), noStatistics,
                            METADATA.getEncoding(dataHeader.getRepetition_level_encoding()),
                            METADATA.getEncoding(dataHeader.getDefinition_level_encoding()), METADATA.getEncoding(dataHeader.getEncoding())));
                    values += dataHeader.getNum_values();
                }
                case DATA_PAGE_V2 -> {
                    pages.add(dataPageV2(header, page, chunk.getCodec(), noStatistics));
                    values += header.getData_page_header_v2().getNum_values();
                }
                default -> {
                    // an index page: nothing to read rows from
                }
            }
        }
        DictionaryPage chunkDictionary = dictionary;
        return new PageReader() {
            @Override
            public DictionaryPage readDictionaryPage() {
                return chunkDictionary;
            }

            @Override
            public long getTotalValueCount() {
                return chunk.getValueCount();
            }

            @Override
            public DataPage readPage() {
                return pages.poll();
            }
        };
    }

    /** A v2 page: its repetition and definition levels first, never compressed; then the values. */
    private static DataPage dataPageV2(PageHeader header, byte[] page, CompressionCodecName codec, Statistics<?> statistics)
            throws IOException {
        DataPageHeaderV2 v2 = header.getData_page_header_v2();
        int repetition = v2.getRepetition_levels_byte_length();
        int definition = v2.getDefinition_levels_byte_length();
        int levels = repetition + definition;
        byte[] data = Arrays.copyOfRange(page, levels, page.length);
        BytesInput values = v2.isIs_compressed()
                ? decompress(codec, data, header.getUncompressed_page_size() - levels) : BytesInput.from(data);
        return DataPageV2.uncompressed(v2.getNum_rows(), v2.getNum_nulls(), v2.getNum_values(),
                BytesInput.from(page, 0, repetition), BytesInput.from(page, repetition, definition),
                METADATA.getEncoding(v2.getEncoding()), values, statistics);
    }

    private static BytesInput decompress(CompressionCodecName codec, byte[] compressed, int uncompressedSize) throws IOException {
        if (codec == CompressionCodecName.UNCOMPRESSED) {
            return BytesInput.from(compressed);
        }
        // The exports and the lake are gzip (*.gz.parquet); the JDK's gzip reads them without Hadoop.
        return GZIP.getDecompressor(codec).decompress(BytesInput.from(compressed), uncompressedSize);
    }
}
