package io.snaplake.localinfra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;

class MotoServerTest {

    private final MotoServer moto = LocalInfra.moto();
    private final S3Client s3 = S3Client.builder()
            .endpointOverride(moto.endpoint())
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .build();

    @AfterEach
    void closeClient() {
        s3.close();
    }

    @Test
    void createsAnS3Bucket_throughTheSdk() {
        s3.createBucket(b -> b.bucket("snaplake-exports"));

        assertThat(s3.listBuckets().buckets()).extracting(Bucket::name).contains("snaplake-exports");
    }

    @Test
    void forgetsEveryResource_onReset() {
        s3.createBucket(b -> b.bucket("snaplake-lake"));

        moto.reset();

        assertThat(s3.listBuckets().buckets()).isEmpty();
    }
}
