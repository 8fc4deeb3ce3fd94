"""Creates in moto what aws/snaplake.yaml creates in AWS, for docker-compose.yml: the snapshot-events queue
with its dead-letter queue (redrive after 5 receives, visibility timeout 120 s), the EventBridge rule for
RDS-EVENT-0169/0091 of the chosen sources with the queue as target, the KMS key, the export and lake
buckets (SSE-KMS, public access blocked, exports expiring), and the RDS export role.

Direct calls rather than the template itself: moto's CloudFormation turns the template's string
EventPattern into a JSON string it cannot parse (see deploy/src/test, SnaplakeTemplate.forMoto).
Idempotent: run it again and it changes nothing. Runs with the boto3 that moto's image ships.
"""
import json
import os

import boto3

endpoint = os.environ.get("AWS_ENDPOINT_URL", "http://moto:5000")
prefix = os.environ.get("NAME_PREFIX", "snaplake")
account = os.environ.get("SNAPLAKE_AWS_ACCOUNTID", "123456789012")
region = os.environ.get("AWS_REGION", "us-east-1")
sources = [s.strip() for s in os.environ.get("SNAPSHOT_SOURCES", "orders,billing").split(",") if s.strip()]
retention_days = int(os.environ.get("EXPORT_RETENTION_DAYS", "7"))


def client(service):
    return boto3.client(service, endpoint_url=endpoint, region_name=region,
                        aws_access_key_id="test", aws_secret_access_key="test")


sqs, s3, kms, events, iam = (client(s) for s in ("sqs", "s3", "kms", "events", "iam"))

dlq_url = sqs.create_queue(QueueName=f"{prefix}-rds-snapshot-events-dlq")["QueueUrl"]
dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
queue_url = sqs.create_queue(QueueName=f"{prefix}-rds-snapshot-events", Attributes={
    "VisibilityTimeout": "120",
    "ReceiveMessageWaitTimeSeconds": "20",
    "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "5"}),
})["QueueUrl"]
queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

pattern = {
    "source": ["aws.rds"],
    "detail-type": ["RDS DB Cluster Snapshot Event", "RDS DB Snapshot Event"],
    "detail": {"EventID": ["RDS-EVENT-0169", "RDS-EVENT-0091"],
               "SourceIdentifier": [{"prefix": f"rds:{source}-"} for source in sources]},
}
rule = f"{prefix}-rds-snapshot-events"
events.put_rule(Name=rule, EventPattern=json.dumps(pattern), State="ENABLED")
events.put_targets(Rule=rule, Targets=[{"Id": "snapshot-listener-queue", "Arn": queue_arn}])

aliases = {a["AliasName"]: a.get("TargetKeyId") for a in kms.list_aliases()["Aliases"]}
key_id = aliases.get(f"alias/{prefix}-data")
if key_id is None:
    key_id = kms.create_key(Description=f"{prefix}: RDS exports and the lake")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName=f"alias/{prefix}-data", TargetKeyId=key_id)
key_arn = f"arn:aws:kms:{region}:{account}:key/{key_id}"

for bucket in (f"{prefix}-exports-{account}-{region}", f"{prefix}-lake-{account}-{region}"):
    existing = [b["Name"] for b in s3.list_buckets().get("Buckets", [])]
    if bucket not in existing:
        s3.create_bucket(Bucket=bucket)
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [{
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn},
        "BucketKeyEnabled": True}]})
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True})
s3.put_bucket_lifecycle_configuration(Bucket=f"{prefix}-exports-{account}-{region}", LifecycleConfiguration={
    "Rules": [{"ID": "expire-exported-files", "Status": "Enabled", "Filter": {"Prefix": ""},
               "Expiration": {"Days": retention_days}}]})

role = f"{prefix}-rds-export"
if role not in [r["RoleName"] for r in iam.list_roles()["Roles"]]:
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "export.rds.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))

print(f"moto ready: queue {queue_url}, key {key_arn}, rule {rule} for {', '.join(sources)}")
