package io.snaplake.lab.demo;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A data cells filter's row filter, evaluated on rows read from the lake. Lake Formation takes a PartiQL
 * expression; this evaluates the common form, comparisons of a column with a literal joined by AND
 * ({@code country = 'FR' AND amount >= 10}), and refuses anything else by name rather than guess.
 */
final class RowFilter {

    private static final Pattern TERM = Pattern.compile(
            "\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(=|!=|<>|<=|>=|<|>)\\s*('(?:[^']|'')*'|-?\\d+(?:\\.\\d+)?)\\s*");
    private static final Pattern AND = Pattern.compile("\\s+and\\s+", Pattern.CASE_INSENSITIVE);

    private record Term(String column, String operator, String literal, boolean numeric) {
    }

    private final String expression;
    private final List<Term> terms;

    private RowFilter(String expression, List<Term> terms) {
        this.expression = expression;
        this.terms = List.copyOf(terms);
    }

    static RowFilter parse(String expression) {
        List<Term> terms = new ArrayList<>();
        for (String part : AND.split(expression.strip())) {
            Matcher term = TERM.matcher(part);
            if (!term.matches()) {
                throw new IllegalArgumentException("row filter '" + expression + "': '" + part.strip() + "' is not evaluated here;"
                        + " only <column> <op> <literal> terms joined by AND are (op one of = <> != < <= > >=)");
            }
            String literal = term.group(3);
            boolean quoted = literal.startsWith("'");
            terms.add(new Term(term.group(1).toLowerCase(Locale.ROOT), term.group(2),
                    quoted ? literal.substring(1, literal.length() - 1).replace("''", "'") : literal, !quoted));
        }
        return new RowFilter(expression, terms);
    }

    /** The columns the filter reads (lower case). */
    List<String> columns() {
        return terms.stream().map(Term::column).distinct().toList();
    }

    /** Whether the row passes: a null value passes no comparison, as in SQL. */
    boolean test(Map<String, String> row) {
        return terms.stream().allMatch(term -> {
            String value = row.get(term.column());
            if (value == null) {
                return false;
            }
            int order;
            try {
                order = term.numeric() ? new BigDecimal(value).compareTo(new BigDecimal(term.literal())) : value.compareTo(term.literal());
            } catch (NumberFormatException notANumber) {
                throw new IllegalArgumentException("row filter '" + expression + "' compares column " + term.column()
                        + " with a number, but its value '" + value + "' is not one");
            }
            return switch (term.operator()) {
                case "=" -> order == 0;
                case "!=", "<>" -> order != 0;
                case "<" -> order < 0;
                case "<=" -> order <= 0;
                case ">" -> order > 0;
                default -> order >= 0;
            };
        });
    }

    @Override
    public String toString() {
        return expression;
    }
}
