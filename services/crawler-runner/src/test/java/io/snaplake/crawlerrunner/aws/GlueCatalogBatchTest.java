package io.snaplake.crawlerrunner.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.snaplake.crawlerrunner.domain.Column;
import io.snaplake.crawlerrunner.domain.GluePartition;
import io.snaplake.crawlerrunner.domain.PartitionError;
import io.snaplake.pipeline.retry.RetryPolicy;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.BatchCreatePartitionRequest;
import software.amazon.awssdk.services.glue.model.BatchCreatePartitionResponse;
import software.amazon.awssdk.services.glue.model.ErrorDetail;
import software.amazon.awssdk.services.glue.model.PartitionError.Builder;
import software.amazon.awssdk.services.glue.model.ValidationException;

/**
 * BatchCreatePartition's limit of 100 entries per request. A test double of Glue, because moto accepts 101
 * entries in one request where AWS refuses them (ValidationException); the double refuses as AWS does and
 * reports one per-entry AlreadyExistsException inside a successful response, as AWS does.
 */
class GlueCatalogBatchTest {

    @Test
    void sendsAtMost100PartitionsPerRequest_andCollectsThePerEntryErrors() {
        List<Integer> requestSizes = new ArrayList<>();
        GlueClient glue = new GlueClient() {
            @Override
            public BatchCreatePartitionResponse batchCreatePartition(BatchCreatePartitionRequest request) {
                if (request.partitionInputList().size() > 100) {
                    throw ValidationException.builder().message("1 validation error detected: partitionInputList must have length <= 100").build();
                }
                requestSizes.add(request.partitionInputList().size());
                List<software.amazon.awssdk.services.glue.model.PartitionError> errors = request.partitionInputList().stream()
                        .filter(input -> input.values().get(0).equals("2026-01-05"))
                        .map(input -> ((Builder) software.amazon.awssdk.services.glue.model.PartitionError.builder())
                                .partitionValues(input.values())
                                .errorDetail(ErrorDetail.builder().errorCode("AlreadyExistsException").errorMessage("Partition already exists.").build())
                                .build())
                        .toList();
                return BatchCreatePartitionResponse.builder().errors(errors).build();
            }

            @Override
            public String serviceName() {
                return "glue";
            }

            @Override
            public void close() {
            }
        };
        GlueCatalog catalog = new GlueCatalog(glue, new AwsCalls(new RetryPolicy(1, Duration.ZERO, Duration.ZERO)));
        List<GluePartition> partitions = IntStream.range(0, 250).mapToObj(day -> new GluePartition(
                LocalDate.parse("2026-01-01").plusDays(day).toString(), "s3://lake/t/date=" + day + "/", List.of(new Column("id", "bigint")),
                Map.of())).toList();

        List<PartitionError> errors = catalog.createPartitions("db", "t", partitions);

        assertThat(requestSizes).containsExactly(100, 100, 50);
        assertThat(errors).containsExactly(new PartitionError("2026-01-05", "AlreadyExistsException", "Partition already exists."));
    }
}
