package io.snaplake.snapshotlistener.web;

import io.snaplake.snapshotlistener.domain.EmitResult;
import io.snaplake.snapshotlistener.domain.ManualSnapshotRequests;
import io.snaplake.snapshotlistener.domain.ManualSnapshotRequests.InvalidRequestException;
import io.snaplake.snapshotlistener.domain.ManualSnapshotRequests.SnapshotNotFoundException;
import io.snaplake.snapshotlistener.domain.SnapshotNotAnnouncedException;
import io.snaplake.snapshotlistener.domain.SnapshotRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /snapshots} with {@code {"snapshotArn": "..."}} or {@code {"clusterId": "...", "snapshotId":
 * "..."}} (or {@code instanceId} for an instance snapshot) announces one snapshot: 201 when a
 * SnapshotCreated event was written now, 200 when the snapshot had been announced already, with the
 * event id either way.
 */
@RestController
public class SnapshotRequestController {

    private final ManualSnapshotRequests requests;

    public SnapshotRequestController(ManualSnapshotRequests requests) {
        this.requests = requests;
    }

    @PostMapping("/snapshots")
    public ResponseEntity<SnapshotRequestAnswer> request(@RequestBody SnapshotRequest request) {
        EmitResult result = requests.request(request);
        HttpStatus status = result.outcome() == EmitResult.Outcome.EMITTED ? HttpStatus.CREATED : HttpStatus.OK;
        return ResponseEntity.status(status).body(SnapshotRequestAnswer.of(result));
    }

    @ExceptionHandler(InvalidRequestException.class)
    ProblemDetail invalid(InvalidRequestException invalid) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, invalid.getMessage());
    }

    @ExceptionHandler(SnapshotNotFoundException.class)
    ProblemDetail notFound(SnapshotNotFoundException notFound) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, notFound.getMessage());
    }

    /** History not loaded, or Kafka did not take the event: nothing was announced, asking again is safe. */
    @ExceptionHandler(SnapshotNotAnnouncedException.class)
    ProblemDetail unavailable(SnapshotNotAnnouncedException failed) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "the snapshot was not announced, try again: " + failed.getMessage());
    }

    /**
     * @param outcome EMITTED or ALREADY_KNOWN
     * @param message the answer in one sentence, as the CLI prints it
     */
    public record SnapshotRequestAnswer(String outcome, String eventId, String snapshotArn, String sourceType,
            String clusterId, String snapshotId, String snapshotDate, String message) {

        static SnapshotRequestAnswer of(EmitResult result) {
            var snapshot = result.snapshot();
            String message = result.outcome() == EmitResult.Outcome.EMITTED
                    ? "Emitted SnapshotCreated " + result.eventId() + " for " + snapshot.snapshotArn()
                    : "Already announced by SnapshotCreated " + result.eventId() + "; nothing emitted for " + snapshot.snapshotArn();
            return new SnapshotRequestAnswer(result.outcome().name(), result.eventId(), snapshot.snapshotArn(),
                    snapshot.sourceType().name(), snapshot.sourceId(), snapshot.snapshotId(),
                    snapshot.snapshotDate().toString(), message);
        }
    }
}
