package io.snaplake.snapshotlistener.domain;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Matching an identifier RDS gives (a snapshot ARN, an automated snapshot's name) against its whole pattern. */
final class WholeMatch {

    private WholeMatch() {
    }

    /** The matcher when all of {@code text} matches {@code pattern}; empty for null or anything else. */
    static Optional<Matcher> of(Pattern pattern, String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher matcher = pattern.matcher(text);
        return matcher.matches() ? Optional.of(matcher) : Optional.empty();
    }
}
