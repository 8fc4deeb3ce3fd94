package io.snaplake.serde;

/**
 * With {@code use.latest.version=true}, the subject's latest version cannot hold the record: it cannot read
 * data of the record's own schema (a field without a default it lacks, a type it cannot promote). Writing
 * anyway would put bytes on the topic that no reader decodes into what the producer meant.
 */
public class IncompatibleLatestVersionException extends AvroSerdeException {

    private final String subject;
    private final int latestVersion;

    public IncompatibleLatestVersionException(String message, String subject, int latestVersion) {
        super(message);
        this.subject = subject;
        this.latestVersion = latestVersion;
    }

    public String subject() {
        return subject;
    }

    public int latestVersion() {
        return latestVersion;
    }
}
