package io.snaplake.crawlerrunner.messaging;

import io.snaplake.events.EventMetadata;
import io.snaplake.events.ParquetCopied;
import io.snaplake.events.TableCopyResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * What a crawl of a copied export catalogues, as a digest of the ParquetCopied without its metadata and file counts:
 * two events of one export with the same digest are the same work (docs/design/crawler-runner.md).
 */
final class CopyContent {

    private static final EventMetadata NO_METADATA = EventMetadata.newBuilder().setEventId("").setRunId("")
            .setOccurredAt(Instant.EPOCH).setProducer("").setReplayOf(null).build();

    private CopyContent() {
    }

    static String digest(ParquetCopied copied) {
        ParquetCopied content = ParquetCopied.newBuilder(copied)
                .setMetadata(NO_METADATA)
                .setTables(copied.getTables().stream().map(table -> TableCopyResult.newBuilder(table)
                        .setFilesFound(0).setBytesFound(0).setFilesCopied(0).setBytesCopied(0)
                        .setFilesAlreadyPresent(0).setBytesAlreadyPresent(0).build()).toList())
                .build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        try {
            new SpecificDatumWriter<>(ParquetCopied.class).write(content, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode the content of export " + copied.getExportTaskId(), e);
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
