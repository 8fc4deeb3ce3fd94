package io.snaplake.sharing.domain;

import io.snaplake.sharing.domain.LfResource.ResourceType;
import java.util.List;
import java.util.Map;

/** The one LF-Tag the sharer manages, its values, and the name of the data cells filters it owns. */
public final class LfTags {

    /** Lake Formation stores tag keys and values in lower case. */
    public static final String KEY = "confidential";
    public static final String PRIVATE = "private";
    public static final String PUBLIC = "public";
    public static final String SENSITIVE = "sensitive";
    public static final List<String> VALUES = List.of(PRIVATE, PUBLIC, SENSITIVE);

    /** Every data cells filter the sharer creates has this name (filter names are unique per table). */
    public static final String FILTER_NAME = "snaplake_share";

    /** The tag-based grant that shares tables whole: every table (and column) tagged confidential=public. */
    public static final LfResource.TagPolicy PUBLIC_TABLES = new LfResource.TagPolicy(ResourceType.TABLE, Map.of(KEY, List.of(PUBLIC)));

    private LfTags() {
    }
}
