package io.snaplake.sharing.domain;

/** The Lake Formation permissions the sharer grants (named as in the API). */
public enum Permission {
    DESCRIBE, SELECT
}
