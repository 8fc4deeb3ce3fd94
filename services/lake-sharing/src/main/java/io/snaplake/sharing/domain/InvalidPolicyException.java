package io.snaplake.sharing.domain;

import java.util.List;
import java.util.stream.Collectors;

/** The policy cannot be used as written; the message lists every problem with file, line and fix. */
public class InvalidPolicyException extends RuntimeException {

    private final List<PolicyProblem> problems;

    public InvalidPolicyException(List<PolicyProblem> problems) {
        super(problems.size() + " problem(s) in the sharing policy:\n"
                + problems.stream().map(problem -> "  " + problem).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<PolicyProblem> problems() {
        return problems;
    }
}
