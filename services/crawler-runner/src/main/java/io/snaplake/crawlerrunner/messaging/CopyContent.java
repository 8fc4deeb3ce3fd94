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
 * What a crawl of a copied export catalogues, as a digest: the ParquetCopied without its metadata (a replay has its
 * own event id) and without the per-table file and byte counts (a copier re-run over the same export reports files
 * "already present" instead of "copied", and the lake holds the same files). Two events of one export with the same
 * digest are the same work; any other difference (a table more, another location, another status) is new work.
 * A schema change of ParquetCopied changes every digest: a replay across it crawls again, never the reverse.
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
