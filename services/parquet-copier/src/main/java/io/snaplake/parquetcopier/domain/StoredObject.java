package io.snaplake.parquetcopier.domain;

/**
 * An object in the store, as a listing or a HEAD describes it.
 *
 * @param sourceEtag for an object this copier wrote: the ETag of the object it was copied from (kept in
 *                   the object's metadata, because a multipart copy has an ETag of its own); else null
 */
public record StoredObject(String bucket, String key, long size, String etag, String sourceEtag) {

    public StoredObject {
        etag = unquoted(etag);
        sourceEtag = unquoted(sourceEtag);
    }

    public static StoredObject listed(String bucket, String key, long size, String etag) {
        return new StoredObject(bucket, key, size, etag, null);
    }

    /** True if this (a lake object) holds the same bytes as {@code source}: same size, and its ETag or recorded source ETag matches. */
    public boolean isCopyOf(StoredObject source) {
        return size == source.size
                && source.etag != null
                && (source.etag.equals(etag) || source.etag.equals(sourceEtag));
    }

    private static String unquoted(String etag) {
        return etag == null ? null : etag.replace("\"", "");
    }
}
