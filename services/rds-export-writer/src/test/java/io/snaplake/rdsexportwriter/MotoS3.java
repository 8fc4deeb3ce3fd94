package io.snaplake.rdsexportwriter;

import io.snaplake.testkit.LocalInfra;
import java.net.URI;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** S3 clients pointed at the JVM-wide moto (or at a proxy in front of it). */
final class MotoS3 {

    private MotoS3() {
    }

    static S3Client client() {
        return client(LocalInfra.moto().endpoint());
    }

    static S3Client client(URI endpoint) {
        return S3Client.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .build();
    }
}
