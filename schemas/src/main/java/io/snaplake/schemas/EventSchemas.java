package io.snaplake.schemas;

import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.ExportCompleted;
import io.snaplake.events.ExportStarted;
import io.snaplake.events.ExportTaskState;
import io.snaplake.events.ParquetCopied;
import io.snaplake.events.PipelineFailure;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.events.TablesShared;
import java.util.List;
import org.apache.avro.Schema;

/** Every event that travels on a topic, as the generated classes see it (nested records inlined). */
public final class EventSchemas {

    public static final List<Schema> ALL = List.of(
            SnapshotCreated.getClassSchema(),
            ExportStarted.getClassSchema(),
            ExportCompleted.getClassSchema(),
            ParquetCopied.getClassSchema(),
            CrawlCompleted.getClassSchema(),
            TablesShared.getClassSchema(),
            PipelineFailure.getClassSchema(),
            ExportTaskState.getClassSchema());

    private EventSchemas() {
    }
}
