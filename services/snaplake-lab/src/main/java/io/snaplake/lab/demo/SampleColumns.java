package io.snaplake.lab.demo;

import io.snaplake.rdsexportwriter.RdsColumn;
import io.snaplake.rdsexportwriter.RdsColumns;
import java.util.ArrayList;
import java.util.List;

/** Columns of the sample tables the lab's exports hold beyond RDS's standard ones. */
public final class SampleColumns {

    private SampleColumns() {
    }

    /** The standard columns and an {@code email} (the name column's values under a sensitive name). */
    public static List<RdsColumn> customers() {
        List<RdsColumn> columns = new ArrayList<>(RdsColumns.standard());
        columns.add(2, RdsColumns.standard().get(1).renamed("email"));
        return columns;
    }
}
