package io.snaplake.crawlerrunner.domain;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The columns of one table-day, merged from the footers of its files (read in parallel). Files that disagree on
 * a column's type are a {@code problem} naming both files and the column: one partition cannot read both.
 */
record DayColumns(List<Column> columns, String problem) {

    static DayColumns read(LakeStore lake, List<LakeFile> files) {
        List<CompletableFuture<List<Column>>> footers = files.stream().map(lake::columns).toList();
        Map<String, Column> merged = new LinkedHashMap<>();
        Map<String, LakeFile> firstSeen = new HashMap<>();
        String problem = null;
        for (int i = 0; i < files.size(); i++) {
            for (Column column : Futures.join(footers.get(i))) {
                Column earlier = merged.putIfAbsent(column.name(), column);
                if (earlier == null) {
                    firstSeen.put(column.name(), files.get(i));
                } else if (!earlier.type().equals(column.type()) && problem == null) {
                    problem = "file " + files.get(i).uri() + ": column " + column.name() + " is " + column.type() + " but "
                            + firstSeen.get(column.name()).uri() + " has it as " + earlier.type()
                            + "; one partition cannot read both, so the day is not registered";
                }
            }
        }
        return new DayColumns(List.copyOf(merged.values()), problem);
    }
}
