package io.snaplake.sharing.domain;

import java.util.List;
import java.util.Optional;

/**
 * One change the sharer makes to Lake Formation. {@link #phase()} orders them so that access is always
 * tightened before it is loosened.
 */
public sealed interface Change {

    enum Kind {
        ADD("+"), CHANGE("~"), DESTROY("-");

        private final String symbol;

        Kind(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    String describe();

    default Kind kind() {
        if (this instanceof AssignTag assign) {
            return assign.previous().isPresent() ? Kind.CHANGE : Kind.ADD;
        }
        if (this instanceof AddTagValues || this instanceof UpdateFilter) {
            return Kind.CHANGE;
        }
        if (this instanceof RemoveTag || this instanceof DeleteFilter || this instanceof RevokePermission) {
            return Kind.DESTROY;
        }
        return Kind.ADD;
    }

    /**
     * When the change is made: the tag and its values exist first, then the database is tagged private; columns
     * are held back (and tables made private) before anything else; grants are revoked before their filters are
     * deleted; tables go public; filters are written, then granted; a column is released only after all that.
     */
    default int phase() {
        if (this instanceof CreateTag || this instanceof AddTagValues) {
            return 0;
        }
        if (this instanceof AssignTag assign) {
            return assign.target().isDatabase() ? 1 : assign.tightening() ? 2 : 5;
        }
        if (this instanceof RemoveTag remove) {
            return remove.tightening() ? 2 : 8;
        }
        if (this instanceof RevokePermission) {
            return 3;
        }
        if (this instanceof DeleteFilter) {
            return 4;
        }
        if (this instanceof CreateFilter || this instanceof UpdateFilter) {
            return 6;
        }
        return 7;
    }

    record CreateTag(String key, List<String> values) implements Change {
        public String describe() {
            return "LF-Tag " + key + " = " + values;
        }
    }

    record AddTagValues(String key, List<String> values) implements Change {
        public String describe() {
            return "LF-Tag " + key + ": add values " + values;
        }
    }

    /**
     * Assigns {@code key=value} to a target that has {@code previous} (or nothing, or an inherited value).
     *
     * @param tightening true when the assignment can only narrow access (held back, sensitive, private)
     */
    record AssignTag(TagTarget target, String key, String value, Optional<String> previous, boolean tightening) implements Change {
        public String describe() {
            return "tag " + target + " " + key + "=" + value + previous.map(old -> " (was " + old + ")").orElse("");
        }
    }

    /** Removes an assigned value: the target inherits again (a table its database's, a column its table's). */
    record RemoveTag(TagTarget target, String key, String value, boolean tightening) implements Change {
        public String describe() {
            return "tag " + target + " " + key + "=" + value + " (inherits again)";
        }
    }

    record CreateFilter(CellsFilter filter) implements Change {
        public String describe() {
            return "data cells filter " + filter;
        }
    }

    record UpdateFilter(CellsFilter filter, CellsFilter previous) implements Change {
        public String describe() {
            return "data cells filter " + filter + " (was " + previous + ")";
        }
    }

    record DeleteFilter(CellsFilter filter) implements Change {
        public String describe() {
            return "data cells filter " + filter;
        }
    }

    record GrantPermission(Grant grant) implements Change {
        public String describe() {
            return "grant " + grant;
        }
    }

    record RevokePermission(Grant grant) implements Change {
        public String describe() {
            return "revoke " + grant;
        }
    }
}
