package io.snaplake.snapshotlistener.domain;

import io.snaplake.events.SnapshotSourceType;
import io.snaplake.snapshotlistener.domain.ParsedEvent.Irrelevant;
import io.snaplake.snapshotlistener.domain.ParsedEvent.Malformed;
import io.snaplake.snapshotlistener.domain.ParsedEvent.SnapshotCreation;
import io.snaplake.snapshotlistener.domain.Rejection.Code;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads an RDS event as EventBridge delivers it to an SQS target (the event itself is the message body):
 * {@code {"source":"aws.rds","detail-type":"RDS DB Cluster Snapshot Event","detail":{"EventID":
 * "RDS-EVENT-0169","SourceIdentifier":"rds:orders-2026-11-20-03-10","SourceArn":"arn:...",...}}}.
 */
public final class RdsEventParser {

    static final String CLUSTER_SNAPSHOT_CREATED = "RDS-EVENT-0169";
    static final String INSTANCE_SNAPSHOT_CREATED = "RDS-EVENT-0091";

    /** The detail-type each automated-snapshot event comes with. */
    private static final Map<String, String> DETAIL_TYPES = Map.of(
            CLUSTER_SNAPSHOT_CREATED, "RDS DB Cluster Snapshot Event",
            INSTANCE_SNAPSHOT_CREATED, "RDS DB Snapshot Event");

    private static final Map<String, SnapshotSourceType> SOURCE_TYPES = Map.of(
            CLUSTER_SNAPSHOT_CREATED, SnapshotSourceType.CLUSTER,
            INSTANCE_SNAPSHOT_CREATED, SnapshotSourceType.INSTANCE);

    private final ObjectMapper json;

    public RdsEventParser(ObjectMapper json) {
        this.json = json;
    }

    public ParsedEvent parse(String body) {
        JsonNode event;
        try {
            event = json.readTree(body == null ? "" : body);
        } catch (JacksonException notJson) {
            return malformed(Code.NOT_JSON, "the message body is not JSON: " + notJson.getOriginalMessage());
        }
        if (event == null || !event.isObject()) {
            return malformed(Code.NOT_JSON, "the message body is not a JSON object");
        }
        if (!"aws.rds".equals(text(event, "source").orElse(null))) {
            return malformed(Code.NOT_AN_RDS_EVENT,
                    "source is " + text(event, "source").orElse("missing") + ", expected an EventBridge event from aws.rds");
        }
        JsonNode detail = event.get("detail");
        if (detail == null || !detail.isObject()) {
            return malformed(Code.MISSING_FIELD, "the event has no detail object");
        }
        String detailType = text(event, "detail-type").orElse(null);
        String eventId = text(detail, "EventID").orElse(null);
        if (eventId == null || !SOURCE_TYPES.containsKey(eventId)) {
            return new Irrelevant(eventId, detailType);
        }
        if (!DETAIL_TYPES.get(eventId).equals(detailType)) {
            return malformed(Code.INCONSISTENT_EVENT,
                    eventId + " comes with detail-type '" + DETAIL_TYPES.get(eventId) + "', this one has '" + detailType + "'");
        }
        Optional<String> identifier = text(detail, "SourceIdentifier");
        Optional<String> sourceArn = text(detail, "SourceArn");
        if (identifier.isEmpty() || sourceArn.isEmpty()) {
            return malformed(Code.MISSING_FIELD, eventId + " without detail.SourceIdentifier or detail.SourceArn");
        }
        return snapshotCreation(SOURCE_TYPES.get(eventId), identifier.get(), sourceArn.get());
    }

    private static ParsedEvent snapshotCreation(SnapshotSourceType expectedType, String identifier, String sourceArn) {
        Optional<AutomatedSnapshotId> automatedId = AutomatedSnapshotId.parse(identifier);
        if (automatedId.isEmpty()) {
            return malformed(Code.UNRECOGNISED_IDENTIFIER, "SourceIdentifier '" + identifier
                    + "' is not an automated snapshot's rds:<source>-YYYY-MM-DD-HH-MM");
        }
        Optional<SnapshotArn> arn = SnapshotArn.parse(sourceArn);
        if (arn.isEmpty()) {
            return malformed(Code.MALFORMED_ARN, "SourceArn '" + sourceArn + "' is not an RDS snapshot ARN");
        }
        if (arn.get().sourceType() != expectedType || !arn.get().snapshotId().equals(identifier)) {
            return malformed(Code.INCONSISTENT_EVENT, "SourceArn '" + sourceArn + "' does not name the "
                    + expectedType.name().toLowerCase() + " snapshot '" + identifier + "'");
        }
        return new SnapshotCreation(new RdsSnapshot(arn.get(), automatedId.get().sourceId(), automatedId.get().snapshotDate(), null));
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() && !value.asString().isBlank()
                ? Optional.of(value.asString())
                : Optional.empty();
    }

    private static Malformed malformed(Code code, String message) {
        return new Malformed(new Rejection(code, message));
    }
}
