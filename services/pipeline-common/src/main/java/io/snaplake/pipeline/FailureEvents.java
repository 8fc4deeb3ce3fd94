package io.snaplake.pipeline;

import io.snaplake.events.EventMetadata;
import io.snaplake.events.PipelineFailure;
import io.snaplake.events.SnapshotRef;
import java.util.Map;

/** Builds the terminal-failure event a stage emits on its failure topic. */
public final class FailureEvents {

    private FailureEvents() {
    }

    /**
     * @param metadata  built with {@link EventMetadataFactory#following} from the input that failed
     * @param reason    short machine-readable cause, e.g. EXPORT_FAILED
     * @param message   what happened, in words an on-call engineer can act on
     * @param details   extra facts (ids, sizes, AWS error codes)
     */
    public static PipelineFailure failure(EventMetadata metadata, SnapshotRef snapshot, Stage stage, String reason,
            String message, boolean retryable, Map<String, String> details) {
        return PipelineFailure.newBuilder()
                .setMetadata(metadata)
                .setSnapshot(snapshot)
                .setStage(stage.eventValue())
                .setReason(reason)
                .setMessage(message)
                .setRetryable(retryable)
                .setDetails(Map.copyOf(details))
                .build();
    }
}
