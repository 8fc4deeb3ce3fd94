package io.snaplake.crawlerrunner.domain;

/** An {@code s3://bucket/key} location. */
public record S3Location(String bucket, String key) {

    public static S3Location parse(String uri) {
        if (uri == null || !uri.startsWith("s3://") || uri.indexOf('/', 5) < 0) {
            throw new IllegalArgumentException("not an s3://bucket/key location: " + uri);
        }
        int slash = uri.indexOf('/', 5);
        return new S3Location(uri.substring(5, slash), uri.substring(slash + 1));
    }

    /** A folder's location without its trailing slashes, so that {@code s3://b/t} and {@code s3://b/t/} compare equal. */
    public static String folder(String location) {
        return location.replaceAll("/+$", "");
    }

    public static boolean sameFolder(String a, String b) {
        return a != null && b != null && folder(a).equals(folder(b));
    }
}
