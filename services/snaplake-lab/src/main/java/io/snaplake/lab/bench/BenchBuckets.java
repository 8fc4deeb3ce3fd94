package io.snaplake.lab.bench;

import java.net.URI;
import java.util.List;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/** The copy benchmark's buckets: made, copied into and emptied between runs, unmeasured. */
final class BenchBuckets {

    /** Where the seeded exports are. */
    static final String EXPORTS = "bench-exports";

    private BenchBuckets() {
    }

    static S3Client syncClient(URI endpoint) {
        return S3Client.builder().region(Region.US_EAST_1).endpointOverride(endpoint).forcePathStyle(true).build();
    }

    /** Creates {@code bucket}, or empties it if it exists. */
    static void createBucket(S3Client s3, String bucket) {
        if (s3.listBuckets().buckets().stream().anyMatch(existing -> existing.name().equals(bucket))) {
            emptyBucket(s3, bucket);
        } else {
            s3.createBucket(create -> create.bucket(bucket));
        }
    }

    /** Copies every object under {@code prefix} of the exports bucket to {@code bucket}, one CopyObject at a time. */
    static void copyEach(S3Client s3, String prefix, String bucket) {
        s3.listObjectsV2Paginator(list -> list.bucket(EXPORTS).prefix(prefix)).contents()
                .forEach(object -> s3.copyObject(copy -> copy.sourceBucket(EXPORTS).sourceKey(object.key())
                        .destinationBucket(bucket).destinationKey(object.key())));
    }

    static long count(S3Client s3, String bucket) {
        return s3.listObjectsV2Paginator(list -> list.bucket(bucket)).contents().stream().count();
    }

    /**
     * Deletes every object of {@code bucket}, 1,000 keys per DeleteObjects request, unmeasured. A copier round's
     * copies are deleted once it is measured: S3Proxy keeps every object in its heap, and the warm-up and
     * measured rounds (tens of thousands of copies) would otherwise fill it, and its garbage collector would
     * slow the server and take the cores from the rounds that follow.
     */
    static void emptyBucket(S3Client s3, String bucket) {
        List<ObjectIdentifier> keys = s3.listObjectsV2Paginator(list -> list.bucket(bucket)).contents().stream()
                .map(object -> ObjectIdentifier.builder().key(object.key()).build()).toList();
        for (int from = 0; from < keys.size(); from += 1_000) {
            List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + 1_000));
            DeleteObjectsResponse deleted = s3.deleteObjects(delete -> delete.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
            if (!deleted.errors().isEmpty()) {
                throw new IllegalStateException("could not empty " + bucket + ": " + deleted.errors().get(0));
            }
        }
    }
}
