package io.snaplake.sharing.domain;

/**
 * One thing wrong with a policy, located and with the fix.
 *
 * @param file    the policy file
 * @param line    1-based line of the offending entry (0 when the problem is the file as a whole)
 * @param problem what is wrong
 * @param fix     what to write instead
 */
public record PolicyProblem(String file, int line, String problem, String fix) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + problem + " (fix: " + fix + ")";
    }
}
