package io.snaplake.crawlerrunner.domain;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.parquet.format.converter.ParquetMetadataConverter;

/**
 * A Parquet file's footer, read from bytes at the end of the file: the file ends with the footer, its length
 * (4 bytes, little-endian) and the magic {@code PAR1}. Every problem is an {@link UnreadableFileException} naming the file.
 */
public final class ParquetFooter {

    /** The footer's length and the magic at the very end of the file. */
    public static final int TRAILER_LENGTH = 8;
    /** The smallest Parquet file: a magic at each end and the footer's length. */
    public static final int MIN_FILE_SIZE = 12;

    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private ParquetFooter() {
    }

    /** Refuses a file too small to be Parquet, before anything is read of it. */
    public static void checkSize(LakeFile file) {
        if (file.size() < MIN_FILE_SIZE) {
            throw new UnreadableFileException(file.uri() + " is not Parquet: " + file.size() + " bytes", null);
        }
    }

    /** The footer's length, from {@code tail}: the file's last bytes (at least {@link #TRAILER_LENGTH}). */
    public static int length(LakeFile file, byte[] tail) {
        int n = tail.length;
        if (!endsWithMagic(tail)) {
            throw new UnreadableFileException(file.uri() + " is not Parquet (no PAR1 at its end"
                    + (n >= 4 && new String(tail, n - 4, 4, StandardCharsets.US_ASCII).equals("PARE") ? "; its footer is encrypted" : "") + ")", null);
        }
        int length = ByteBuffer.wrap(tail, n - TRAILER_LENGTH, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (length <= 0 || length > file.size() - MIN_FILE_SIZE) {
            throw new UnreadableFileException(file.uri() + " is not Parquet: footer length " + length, null);
        }
        return length;
    }

    /** The columns of the footer held in {@code bytes} from {@code offset}, {@code length} bytes long. */
    public static List<Column> columns(LakeFile file, byte[] bytes, int offset, int length) {
        try {
            return ParquetTypes.columns(new ParquetMetadataConverter()
                    .readParquetMetadata(new ByteArrayInputStream(bytes, offset, length), ParquetMetadataConverter.NO_FILTER)
                    .getFileMetaData().getSchema());
        } catch (UnsupportedSchemaException e) {
            throw new UnreadableFileException(file.uri() + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new UnreadableFileException(file.uri() + " has an unreadable Parquet footer: " + e, e);
        }
    }

    private static boolean endsWithMagic(byte[] tail) {
        int n = tail.length;
        return n >= TRAILER_LENGTH && tail[n - 4] == MAGIC[0] && tail[n - 3] == MAGIC[1] && tail[n - 2] == MAGIC[2] && tail[n - 1] == MAGIC[3];
    }
}
