/** Resource counts the cluster tests share. */

/** Adds resource counts by type. */
export function sumCounts(...parts: Record<string, number>[]): Record<string, number> {
    const total: Record<string, number> = {};
    for (const part of parts) {
        for (const [type, count] of Object.entries(part)) {
            total[type] = (total[type] ?? 0) + count;
        }
    }
    return total;
}

/**
 * The monitoring every cluster has by default (components/monitoring): four alarms, the alarm topic with its
 * policy and its own KMS key, the dashboard, and the access log bucket with its encryption, public access
 * block, ownership, lifecycle and policy.
 */
export const MONITORING: Record<string, number> = {
    "aws:cloudwatch/dashboard:Dashboard": 1,
    "aws:cloudwatch/metricAlarm:MetricAlarm": 4,
    "aws:kms/key:Key": 1,
    "aws:s3/bucket:Bucket": 1,
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": 1,
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 1,
    "aws:s3/bucketPolicy:BucketPolicy": 1,
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 1,
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 1,
    "aws:sns/topic:Topic": 1,
    "aws:sns/topicPolicy:TopicPolicy": 1,
};

/** What fleet `autoscaling` adds to the monitoring: the in-service alarm, and the failed-refresh rule with its target. */
export const AUTOSCALING_MONITORING: Record<string, number> = {
    "aws:cloudwatch/metricAlarm:MetricAlarm": 1,
    "aws:cloudwatch/eventRule:EventRule": 1,
    "aws:cloudwatch/eventTarget:EventTarget": 1,
};

/**
 * Resources every cluster has, whatever its size and fleet, in the default VPC with an AMI id given (so no bake),
 * with the monitoring on by default (MONITORING; its key is the second, beside the admin password's).
 */
export const FIXED_WITH_AMI: Record<string, number> = sumCounts(
    {
        "api-cluster:credentials:AdminCredential": 1,
        "api-cluster:index:ApiCluster": 1,
        "aws:ec2/securityGroup:SecurityGroup": 2,
        "aws:ec2/tag:Tag": 1,
        "aws:iam/instanceProfile:InstanceProfile": 1,
        "aws:iam/role:Role": 1,
        "aws:iam/rolePolicy:RolePolicy": 2,
        "aws:kms/key:Key": 1,
        "aws:lb/listener:Listener": 1,
        "aws:lb/loadBalancer:LoadBalancer": 1,
        "aws:lb/targetGroup:TargetGroup": 1,
        "aws:ssm/parameter:Parameter": 1,
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": 2,
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 2,
        "pulumi:index:Stash": 1,
        "pulumi:pulumi:Stack": 1,
        "random:index/randomPassword:RandomPassword": 1,
    },
    MONITORING,
);
