package io.snaplake.lfsharer.share;

import io.snaplake.lfsharer.lake.CellsFilter;
import io.snaplake.lfsharer.lake.Grant;
import io.snaplake.lfsharer.lake.TagTarget;
import java.util.List;
import java.util.Optional;

/**
 * One change the sharer makes to Lake Formation. {@link #phase()} orders them so that access is always
 * tightened before it is loosened: columns are held back before their table goes public, grants are revoked
 * before filters are deleted, grants are added last, and a column is released only after everything else.
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

    Kind kind();

    int phase();

    String describe();

    record CreateTag(String key, List<String> values) implements Change {
        public Kind kind() {
            return Kind.ADD;
        }

        public int phase() {
            return 0;
        }

        public String describe() {
            return "LF-Tag " + key + " = " + values;
        }
    }

    record AddTagValues(String key, List<String> values) implements Change {
        public Kind kind() {
            return Kind.CHANGE;
        }

        public int phase() {
            return 0;
        }

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
        public Kind kind() {
            return previous.isPresent() ? Kind.CHANGE : Kind.ADD;
        }

        public int phase() {
            return target instanceof TagTarget.OnDatabase ? 1 : tightening ? 2 : 5;
        }

        public String describe() {
            return "tag " + target + " " + key + "=" + value + previous.map(old -> " (was " + old + ")").orElse("");
        }
    }

    /** Removes an assigned value: the target inherits again (a table its database's, a column its table's). */
    record RemoveTag(TagTarget target, String key, String value, boolean tightening) implements Change {
        public Kind kind() {
            return Kind.DESTROY;
        }

        public int phase() {
            return tightening ? 2 : 8;
        }

        public String describe() {
            return "tag " + target + " " + key + "=" + value + " (inherits again)";
        }
    }

    record CreateFilter(CellsFilter filter) implements Change {
        public Kind kind() {
            return Kind.ADD;
        }

        public int phase() {
            return 6;
        }

        public String describe() {
            return "data cells filter " + filter;
        }
    }

    record UpdateFilter(CellsFilter filter, CellsFilter previous) implements Change {
        public Kind kind() {
            return Kind.CHANGE;
        }

        public int phase() {
            return 6;
        }

        public String describe() {
            return "data cells filter " + filter + " (was " + previous + ")";
        }
    }

    record DeleteFilter(CellsFilter filter) implements Change {
        public Kind kind() {
            return Kind.DESTROY;
        }

        public int phase() {
            return 4;
        }

        public String describe() {
            return "data cells filter " + filter;
        }
    }

    record GrantPermission(Grant grant) implements Change {
        public Kind kind() {
            return Kind.ADD;
        }

        public int phase() {
            return 7;
        }

        public String describe() {
            return "grant " + grant;
        }
    }

    record RevokePermission(Grant grant) implements Change {
        public Kind kind() {
            return Kind.DESTROY;
        }

        public int phase() {
            return 3;
        }

        public String describe() {
            return "revoke " + grant;
        }
    }
}
