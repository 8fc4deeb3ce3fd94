package io.snaplake.exportscheduler.domain;

import java.util.List;

/**
 * How one cluster's snapshots are exported.
 *
 * @param bucket     S3 bucket the export is written to
 * @param prefix     base of the S3Prefix; the export goes to {@code <prefix>/<cluster>/<date>/<taskId>/}
 * @param kmsKeyId   KMS key (ARN or alias ARN) RDS encrypts the export with
 * @param iamRoleArn role RDS assumes to write to the bucket
 * @param exportOnly databases, schemas or tables to export (RDS ExportOnly); empty for all
 */
public record ExportSettings(String bucket, String prefix, String kmsKeyId, String iamRoleArn, List<String> exportOnly) {

    public ExportSettings {
        prefix = prefix == null ? "" : prefix;
        exportOnly = exportOnly == null ? List.of() : exportOnly.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** These settings, with every unset value taken from {@code defaults}. */
    public ExportSettings orElse(ExportSettings defaults) {
        return new ExportSettings(
                isSet(bucket) ? bucket : defaults.bucket(),
                isSet(prefix) ? prefix : defaults.prefix(),
                isSet(kmsKeyId) ? kmsKeyId : defaults.kmsKeyId(),
                isSet(iamRoleArn) ? iamRoleArn : defaults.iamRoleArn(),
                exportOnly.isEmpty() ? defaults.exportOnly() : exportOnly);
    }

    /** Names of the required settings that are missing. */
    public List<String> missing() {
        return java.util.stream.Stream.of(
                        isSet(bucket) ? null : "bucket",
                        isSet(kmsKeyId) ? null : "kms-key-id",
                        isSet(iamRoleArn) ? null : "iam-role-arn")
                .filter(java.util.Objects::nonNull)
                .toList();
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
