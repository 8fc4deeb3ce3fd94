package io.snaplake.sharing.domain;

/**
 * A failure Lake Formation reported for one entry inside a successful batch response.
 *
 * @param what      the entry (a grant, a tag assignment)
 * @param errorCode AWS's error code, e.g. InvalidInputException
 * @param message   AWS's message
 */
public record EntryFailure(String what, String errorCode, String message) {

    @Override
    public String toString() {
        return what + ": " + errorCode + " " + message;
    }
}
