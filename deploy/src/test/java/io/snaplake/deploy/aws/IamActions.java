package io.snaplake.deploy.aws;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which IAM actions an SDK operation needs, as AWS's service authorization reference lists them. Written
 * out, so that a reader can check each line: S3's operation names differ from its actions (HeadObject is
 * authorised as s3:GetObject, ListObjectsV2 as s3:ListBucket, the multipart copy calls as s3:PutObject).
 */
final class IamActions {

    private static final Map<String, List<String>> BY_OPERATION = Map.ofEntries(
            Map.entry("Sqs:GetQueueUrl", List.of("sqs:GetQueueUrl")),
            Map.entry("Sqs:GetQueueAttributes", List.of("sqs:GetQueueAttributes")),
            Map.entry("Sqs:ReceiveMessage", List.of("sqs:ReceiveMessage")),
            Map.entry("Sqs:DeleteMessage", List.of("sqs:DeleteMessage")),
            // AWS authorises the batch call with sqs:ChangeMessageVisibility; moto asks for an action named
            // after the batch API, so the template grants both (an action IAM does not know grants nothing).
            Map.entry("Sqs:ChangeMessageVisibilityBatch", List.of("sqs:ChangeMessageVisibility", "sqs:ChangeMessageVisibilityBatch")),
            Map.entry("Sqs:SendMessage", List.of("sqs:SendMessage")),
            Map.entry("Rds:DescribeDBClusterSnapshots", List.of("rds:DescribeDBClusterSnapshots")),
            Map.entry("Rds:DescribeDBSnapshots", List.of("rds:DescribeDBSnapshots")),
            Map.entry("Rds:StartExportTask", List.of("rds:StartExportTask")),
            Map.entry("Rds:DescribeExportTasks", List.of("rds:DescribeExportTasks")),
            Map.entry("S3:ListObjectsV2", List.of("s3:ListBucket")),
            Map.entry("S3:GetObject", List.of("s3:GetObject")),
            Map.entry("S3:HeadObject", List.of("s3:GetObject")),
            // CopyObject reads the source (s3:GetObject) and writes the target (s3:PutObject).
            Map.entry("S3:CopyObject", List.of("s3:GetObject", "s3:PutObject")),
            Map.entry("S3:CreateMultipartUpload", List.of("s3:PutObject")),
            Map.entry("S3:UploadPartCopy", List.of("s3:GetObject", "s3:PutObject")),
            Map.entry("S3:CompleteMultipartUpload", List.of("s3:PutObject")),
            Map.entry("S3:AbortMultipartUpload", List.of("s3:AbortMultipartUpload")),
            Map.entry("S3:DeleteObject", List.of("s3:DeleteObject")),
            // DeleteObjects is authorised per key as s3:DeleteObject (there is no s3:DeleteObjects action).
            Map.entry("S3:DeleteObjects", List.of("s3:DeleteObject")),
            Map.entry("Glue:GetDatabase", List.of("glue:GetDatabase")),
            Map.entry("Glue:GetDatabases", List.of("glue:GetDatabases")),
            Map.entry("Glue:CreateDatabase", List.of("glue:CreateDatabase")),
            Map.entry("Glue:GetTable", List.of("glue:GetTable")),
            Map.entry("Glue:GetTables", List.of("glue:GetTables")),
            Map.entry("Glue:GetTableVersions", List.of("glue:GetTableVersions")),
            Map.entry("Glue:GetCrawler", List.of("glue:GetCrawler")),
            // The crawler runs as the role it is given: creating it passes that role.
            Map.entry("Glue:CreateCrawler", List.of("glue:CreateCrawler", "iam:PassRole")),
            Map.entry("Glue:StartCrawler", List.of("glue:StartCrawler")),
            Map.entry("Glue:CreateTable", List.of("glue:CreateTable")),
            Map.entry("Glue:UpdateTable", List.of("glue:UpdateTable")),
            Map.entry("Glue:BatchCreatePartition", List.of("glue:BatchCreatePartition")),
            Map.entry("Glue:GetPartition", List.of("glue:GetPartition")),
            Map.entry("Glue:UpdatePartition", List.of("glue:UpdatePartition")),
            Map.entry("LakeFormation:GetLFTag", List.of("lakeformation:GetLFTag")),
            Map.entry("LakeFormation:CreateLFTag", List.of("lakeformation:CreateLFTag")),
            Map.entry("LakeFormation:UpdateLFTag", List.of("lakeformation:UpdateLFTag")),
            Map.entry("LakeFormation:AddLFTagsToResource", List.of("lakeformation:AddLFTagsToResource")),
            Map.entry("LakeFormation:RemoveLFTagsFromResource", List.of("lakeformation:RemoveLFTagsFromResource")),
            Map.entry("LakeFormation:GetResourceLFTags", List.of("lakeformation:GetResourceLFTags")),
            Map.entry("LakeFormation:ListPermissions", List.of("lakeformation:ListPermissions")),
            Map.entry("LakeFormation:BatchGrantPermissions", List.of("lakeformation:BatchGrantPermissions")),
            Map.entry("LakeFormation:BatchRevokePermissions", List.of("lakeformation:BatchRevokePermissions")),
            Map.entry("LakeFormation:CreateDataCellsFilter", List.of("lakeformation:CreateDataCellsFilter")),
            Map.entry("LakeFormation:UpdateDataCellsFilter", List.of("lakeformation:UpdateDataCellsFilter")),
            Map.entry("LakeFormation:DeleteDataCellsFilter", List.of("lakeformation:DeleteDataCellsFilter")),
            Map.entry("LakeFormation:ListDataCellsFilter", List.of("lakeformation:ListDataCellsFilter")));

    private IamActions() {
    }

    static Set<String> of(Collection<String> operations) {
        Set<String> actions = new TreeSet<>();
        for (String operation : operations) {
            List<String> needed = BY_OPERATION.get(operation);
            if (needed == null) {
                throw new IllegalArgumentException("no IAM actions known for " + operation + ": add it to IamActions");
            }
            actions.addAll(needed);
        }
        return actions;
    }
}
