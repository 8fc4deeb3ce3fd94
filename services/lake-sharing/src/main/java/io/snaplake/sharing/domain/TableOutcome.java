package io.snaplake.sharing.domain;

import java.util.List;
import java.util.Optional;

/**
 * How one Glue table is shared once the plan is applied.
 *
 * @param columns  the columns recipients read (empty for a private table)
 * @param heldBack columns of a table shared whole that recipients do not read, and why
 */
public record TableOutcome(String database, String table, Sharing sharing, List<String> columns, Optional<String> filterName,
        List<HeldBackColumn> heldBack) {

    public TableOutcome {
        columns = List.copyOf(columns);
        heldBack = List.copyOf(heldBack);
    }

    public enum Sharing {
        WHOLE, FILTERED, PRIVATE
    }

    public enum HoldReason {
        /** The column matches a sensitive pattern: never shared. */
        SENSITIVE,
        /** The column appeared with this day's catalogue (or was held back before) and the policy does not name it. */
        NEW_COLUMN,
        /** The policy lists the table's columns and this one is not among them. */
        NOT_IN_POLICY
    }

    public record HeldBackColumn(String column, HoldReason reason) {
    }
}
