package io.snaplake.pipeline;

import io.snaplake.events.PipelineStage;

/** The pipeline's stages, in flow order; each one is a service of the same name. */
public enum Stage {
    SNAPSHOT_LISTENER("snapshot-listener", PipelineStage.SNAPSHOT_LISTENER),
    EXPORT_SCHEDULER("export-scheduler", PipelineStage.EXPORT_SCHEDULER),
    PARQUET_COPIER("parquet-copier", PipelineStage.PARQUET_COPIER),
    CRAWLER_RUNNER("crawler-runner", PipelineStage.CRAWLER_RUNNER),
    LF_SHARER("lf-sharer", PipelineStage.LF_SHARER);

    private final String serviceName;
    private final PipelineStage eventValue;

    Stage(String serviceName, PipelineStage eventValue) {
        this.serviceName = serviceName;
        this.eventValue = eventValue;
    }

    /** The service's name: its folder under services/, its spring.application.name and its consumer group. */
    public String serviceName() {
        return serviceName;
    }

    /** How a PipelineFailure event names this stage. */
    public PipelineStage eventValue() {
        return eventValue;
    }
}
