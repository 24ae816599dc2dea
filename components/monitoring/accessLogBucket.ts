/**
 * The load balancer's access log bucket: one per cluster, in the cluster's region (ELB delivers only
 * to a bucket of its own region).
 *
 * - SSE-S3 (AES256): the only default encryption ELB log delivery accepts; with SSE-KMS it fails to
 *   write (Elastic Load Balancing user guide, "Enable access logs", requirements).
 * - Public access blocked, all four settings, and BucketOwnerEnforced object ownership: ACLs are
 *   off, so every log object belongs to the bucket's account whoever wrote it, and the policy below
 *   needs no `s3:x-amz-acl` condition.
 * - A lifecycle rule deletes each object under `AWSLogs/` after `accessLogRetentionDays`.
 * - The bucket policy lets the region's log writer (logDelivery.ts) put objects under
 *   `AWSLogs/<account>/` only (the load balancer has no prefix, so that is where it writes), and
 *   refuses any request that is not over TLS.
 *
 * Deletion: `forceDestroy` is the opposite of `deletionProtection`. Without deletion protection (dev)
 * `pulumi destroy` empties the bucket and deletes it. With it (staging, prod) the delete fails while
 * logs remain (S3's BucketNotEmpty), so logs are never lost by accident; a stack that is destroyed on
 * purpose first turns `deletionProtection` off, which the load balancer needs anyway, and that update
 * turns `forceDestroy` on. Copy out the logs you must keep before that (docs/operations.md).
 *
 * On create, S3 names the bucket `<name>-access-logs-<7 hex>` (Pulumi's auto-name): at most 40
 * characters with a 20-character component name (naming.ts), within S3's 63, lowercase as S3
 * requires. Changing `forceDestroy` updates the bucket in place (provider state only); the policy,
 * encryption, ownership, public access block and lifecycle are sub-resources updated in place.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ClusterSettings } from "../config/schema";
import { logDeliveryPrincipal } from "./logDelivery";

/** Where ELB writes under a bucket without a prefix: `AWSLogs/<account>/elasticloadbalancing/<region>/…`. */
export const ACCESS_LOG_ROOT = "AWSLogs/";

/** The access log bucket and what the load balancer must wait for before it turns logging on. */
export interface AccessLogBucket {
    /** The bucket. */
    bucket: aws.s3.Bucket;
    /** Its policy: ELB checks that it may write when logging is turned on, so the load balancer depends on it. */
    policy: aws.s3.BucketPolicy;
}

/** Creates the access log bucket with its encryption, ownership, public access block, lifecycle and policy. */
export function accessLogBucket(name: string, settings: ClusterSettings, parent: pulumi.Resource): AccessLogBucket {
    const opts = { parent };
    const bucket = new aws.s3.Bucket(`${name}-access-logs`, { forceDestroy: !settings.deletionProtection }, opts);
    new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-access-logs-encryption`,
        { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
        opts,
    );
    new aws.s3.BucketPublicAccessBlock(
        `${name}-access-logs-public-access`,
        { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        opts,
    );
    new aws.s3.BucketOwnershipControls(
        `${name}-access-logs-ownership`,
        { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
        opts,
    );
    new aws.s3.BucketLifecycleConfiguration(
        `${name}-access-logs-expiry`,
        {
            bucket: bucket.id,
            rules: [
                {
                    id: "expire-access-logs",
                    status: "Enabled",
                    filter: { prefix: ACCESS_LOG_ROOT },
                    expiration: { days: settings.accessLogRetentionDays },
                },
            ],
        },
        opts,
    );
    const region = aws.getRegionOutput({}, opts).region;
    const caller = aws.getCallerIdentityOutput({}, opts);
    const policy = new aws.s3.BucketPolicy(
        `${name}-access-logs-policy`,
        {
            bucket: bucket.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "LoadBalancerWritesAccessLogs",
                        Effect: "Allow",
                        Principal: logDeliveryPrincipal(region, parent),
                        Action: "s3:PutObject",
                        Resource: pulumi.interpolate`${bucket.arn}/${ACCESS_LOG_ROOT}${caller.accountId}/*`,
                    },
                    {
                        Sid: "OnlyOverTls",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "s3:*",
                        Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                ],
            }),
        },
        opts,
    );
    return { bucket, policy };
}
