package io.snaplake.rdsexportwriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * GZIP pages with the JDK's own zlib. Parquet's default codec factory reaches for Hadoop's GzipCodec;
 * this one keeps the writer free of Hadoop (gzip is what RDS exports use: {@code *.gz.parquet}). The demo
 * reads the lake back with it too.
 */
public final class JdkGzipCodecFactory implements CompressionCodecFactory {

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codecName) {
        requireGzip(codecName);
        return new BytesInputCompressor() {
            @Override
            public BytesInput compress(BytesInput bytes) throws IOException {
                ByteArrayOutputStream compressed = new ByteArrayOutputStream();
                try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
                    bytes.writeAllTo(gzip);
                }
                return BytesInput.from(compressed.toByteArray());
            }

            @Override
            public CompressionCodecName getCodecName() {
                return CompressionCodecName.GZIP;
            }

            @Override
            public void release() {
            }
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codecName) {
        requireGzip(codecName);
        return new BytesInputDecompressor() {
            @Override
            public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
                try (InputStream gzip = new GZIPInputStream(bytes.toInputStream())) {
                    return BytesInput.from(gzip.readNBytes(uncompressedSize));
                }
            }

            @Override
            public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                    throws IOException {
                byte[] in = new byte[compressedSize];
                input.get(in);
                output.put(decompress(BytesInput.from(in), uncompressedSize).toByteArray());
            }

            @Override
            public void release() {
            }
        };
    }

    @Override
    public void release() {
    }

    private static void requireGzip(CompressionCodecName codecName) {
        if (codecName != CompressionCodecName.GZIP) {
            throw new IllegalArgumentException("only GZIP is supported here (RDS exports are *.gz.parquet), got " + codecName);
        }
    }
}
