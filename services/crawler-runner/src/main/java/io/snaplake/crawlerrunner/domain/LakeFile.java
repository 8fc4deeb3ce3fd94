package io.snaplake.crawlerrunner.domain;

/** A data file in the lake. */
public record LakeFile(String bucket, String key, long size) {

    public String uri() {
        return "s3://" + bucket + "/" + key;
    }
}
