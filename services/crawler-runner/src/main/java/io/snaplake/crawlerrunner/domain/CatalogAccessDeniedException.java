package io.snaplake.crawlerrunner.domain;

/** AWS refused a call for lack of a permission; names the permission (e.g. {@code glue:CreateTable}). */
public final class CatalogAccessDeniedException extends RuntimeException {

    private final String permission;

    public CatalogAccessDeniedException(String permission, String message, Throwable cause) {
        super(message, cause);
        this.permission = permission;
    }

    public String permission() {
        return permission;
    }
}
