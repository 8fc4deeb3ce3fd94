package io.snaplake.exportscheduler.aws;

import io.snaplake.exportscheduler.domain.ExportStatus;
import io.snaplake.exportscheduler.domain.ExportTask;
import io.snaplake.exportscheduler.domain.RdsExportException;
import io.snaplake.exportscheduler.domain.RdsExports;
import io.snaplake.exportscheduler.domain.StartExportRequest;
import io.snaplake.pipeline.AwsSettings;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DescribeExportTasksRequest;
import software.amazon.awssdk.services.rds.model.Filter;
import software.amazon.awssdk.services.rds.model.StartExportTaskRequest;
import software.amazon.awssdk.services.rds.model.StartExportTaskResponse;

/** {@link RdsExports} on the AWS SDK's RDS client; AWS error codes become {@link RdsExportException}s. */
public final class SdkRdsExports implements RdsExports, AutoCloseable {

    /** Not modeled by the SDK: only the error code tells it. */
    static final String LIMIT_REACHED = "ExportTaskLimitReachedFault";

    private static final Set<String> THROTTLING = Set.of("Throttling", "ThrottlingException", "RequestLimitExceeded",
            "RequestThrottled", "RequestThrottledException", "TooManyRequestsException", "SlowDown",
            "ProvisionedThroughputExceededException", "PriorRequestNotComplete");

    /**
     * The caller's credentials were refused: expired session tokens, and AccessDenied, which a credentials
     * glitch (a rotated or not yet propagated role session) answers as well as a missing permission. Both
     * are retried with capped back-off and logged with their code, never turned into a failed export: a
     * real permission problem shows as the same code logged again and again, and as the export not starting.
     */
    private static final Set<String> CREDENTIALS = Set.of("ExpiredToken", "ExpiredTokenException", "RequestExpired",
            "AccessDenied", "AccessDeniedException", "InvalidClientTokenId", "UnrecognizedClientException",
            "SignatureDoesNotMatch", "IncompleteSignature");

    private final RdsClient rds;

    public SdkRdsExports(RdsClient rds) {
        this.rds = rds;
    }

    /** On a client of its own, for the configured region, credentials and endpoint; {@link #close()} closes it. */
    public static SdkRdsExports connect(AwsSettings aws) {
        return new SdkRdsExports(aws.configure(RdsClient.builder()).build());
    }

    @Override
    public void close() {
        rds.close();
    }

    @Override
    public ExportTask start(StartExportRequest request) {
        StartExportTaskRequest.Builder call = StartExportTaskRequest.builder()
                .exportTaskIdentifier(request.exportTaskId())
                .sourceArn(request.sourceArn())
                .s3BucketName(request.bucket())
                .iamRoleArn(request.iamRoleArn())
                .kmsKeyId(request.kmsKeyId());
        if (!request.prefix().isEmpty()) {
            call.s3Prefix(request.prefix());
        }
        if (!request.exportOnly().isEmpty()) {
            call.exportOnly(request.exportOnly());
        }
        StartExportTaskResponse response = call(() -> rds.startExportTask(call.build()));
        return new ExportTask(response.exportTaskIdentifier(), response.sourceArn(), ExportStatus.parse(response.status()),
                orZero(response.percentProgress()), toLong(response.totalExtractedDataInGB()), response.failureCause(),
                response.warningMessage(), response.taskStartTime(), response.taskEndTime());
    }

    @Override
    public Optional<ExportTask> find(String exportTaskId) {
        try {
            return call(() -> rds.describeExportTasks(DescribeExportTasksRequest.builder().exportTaskIdentifier(exportTaskId).build()))
                    .exportTasks().stream()
                    // moto ignores filters; AWS does not need this, and it costs nothing.
                    .filter(task -> exportTaskId.equals(task.exportTaskIdentifier()))
                    .findFirst()
                    .map(SdkRdsExports::toExportTask);
        } catch (RdsExportException.Permanent e) {
            if (e.errorCode().startsWith("ExportTaskNotFound")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public int countInProgress() {
        // Filter values are lowercase; moto ignores filters, so the status is checked here too.
        DescribeExportTasksRequest request = DescribeExportTasksRequest.builder()
                .filters(Filter.builder().name("status").values("starting", "in_progress").build())
                .build();
        return call(() -> (int) rds.describeExportTasksPaginator(request).exportTasks().stream()
                .filter(task -> ExportStatus.parse(task.status()).holdsASlot())
                .count());
    }

    private static ExportTask toExportTask(software.amazon.awssdk.services.rds.model.ExportTask task) {
        return new ExportTask(task.exportTaskIdentifier(), task.sourceArn(), ExportStatus.parse(task.status()),
                orZero(task.percentProgress()), toLong(task.totalExtractedDataInGB()), task.failureCause(),
                task.warningMessage(), task.taskStartTime(), task.taskEndTime());
    }

    private static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (AwsServiceException e) {
            throw classify(e);
        } catch (SdkClientException e) {
            throw new RdsExportException.Transient(e.getClass().getSimpleName(), e.getMessage(), e);
        } catch (SdkException e) {
            throw new RdsExportException.Transient(e.getClass().getSimpleName(), e.getMessage(), e);
        }
    }

    /** What the scheduler should do about an error RDS answered. */
    static RdsExportException classify(AwsServiceException e) {
        String code = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
                ? "HTTP" + e.statusCode()
                : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
                ? e.getMessage()
                : e.awsErrorDetails().errorMessage();
        if (code.equals(LIMIT_REACHED)) {
            return new RdsExportException.LimitReached(code, message, e);
        }
        if (code.startsWith("ExportTaskAlreadyExists")) {
            return new RdsExportException.AlreadyExists(code, message, e);
        }
        if (e.isThrottlingException() || THROTTLING.contains(code) || e.statusCode() >= 500) {
            return new RdsExportException.Transient(code, message, e);
        }
        if (CREDENTIALS.contains(code)) {
            return new RdsExportException.Transient(code, "credentials refused (" + code + "): " + message, e);
        }
        return new RdsExportException.Permanent(reasonFor(code), code, message, e);
    }

    private static String reasonFor(String code) {
        if (code.startsWith("DBSnapshotNotFound") || code.startsWith("DBClusterSnapshotNotFound")) {
            return "SNAPSHOT_NOT_FOUND";
        }
        if (code.startsWith("InvalidS3Bucket")) {
            return "INVALID_S3_BUCKET";
        }
        if (code.startsWith("IamRole")) {
            return "IAM_ROLE_PROBLEM";
        }
        if (code.startsWith("KMSKey") || code.startsWith("KmsKey")) {
            return "KMS_KEY_PROBLEM";
        }
        if (code.startsWith("InvalidExportOnly")) {
            return "INVALID_EXPORT_ONLY";
        }
        if (code.startsWith("InvalidExportSourceState")) {
            return "SNAPSHOT_NOT_EXPORTABLE";
        }
        return "EXPORT_REFUSED";
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    private static Long toLong(Number value) {
        return value == null ? null : value.longValue();
    }
}
