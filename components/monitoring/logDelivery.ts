/**
 * Who writes a load balancer's access logs into the bucket, by region (Elastic Load Balancing user
 * guide, "Enable access logs", step 2):
 *
 * - Regions available before August 2022: the region's Elastic Load Balancing account, as the AWS
 *   principal `arn:aws:iam::<account>:root`. The account of each region is the provider's table,
 *   read through its `aws.elb.getServiceAccount` invoke (terraform-provider-aws,
 *   internal/service/elb/service_account_data_source.go, `accountIDPerRegionMap`), the one source
 *   of the numbers; the invoke fails with "unsupported AWS Region" for a region not in it.
 * - Regions available from August 2022 (ap-southeast-4, me-central-1, eu-south-2, …): the log
 *   delivery service principal, which has no account to look up.
 *
 * LEGACY_LOG_DELIVERY_REGIONS names which regions take the first rule: exactly the regions of the
 * provider's table, so the invoke is only ever asked what it knows. The offline mocks answer the
 * invoke from a copy of the table (preview/mocks/elbServiceAccount.ts), and a test holds the two
 * key sets equal (tests/monitoring/logDelivery.test.ts).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The principal that writes access logs in regions available from August 2022. */
export const LOG_DELIVERY_SERVICE_PRINCIPAL = "logdelivery.elasticloadbalancing.amazonaws.com";

/**
 * Regions available before August 2022, whose access logs are written by a regional Elastic Load
 * Balancing account: the regions of the provider's `aws.elb.getServiceAccount` table (me-central-1,
 * launched in August 2022, is commented out there and takes the service principal).
 */
export const LEGACY_LOG_DELIVERY_REGIONS: ReadonlySet<string> = new Set([
    "af-south-1",
    "ap-east-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ca-central-1",
    "cn-north-1",
    "cn-northwest-1",
    "eu-central-1",
    "eu-north-1",
    "eu-south-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "me-south-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-west-1",
    "us-west-2",
]);

/** A bucket policy principal: an AWS account's root, or a service. */
export type LogDeliveryPrincipal = { AWS: string } | { Service: string };

/**
 * The principal that writes access logs in `region`: the regional account (looked up with the
 * provider's invoke) for a region in LEGACY_LOG_DELIVERY_REGIONS, the service principal otherwise.
 */
export function logDeliveryPrincipal(region: pulumi.Input<string>, parent: pulumi.Resource): pulumi.Output<LogDeliveryPrincipal> {
    return pulumi.output(region).apply((name) => {
        if (!LEGACY_LOG_DELIVERY_REGIONS.has(name)) {
            const principal: LogDeliveryPrincipal = { Service: LOG_DELIVERY_SERVICE_PRINCIPAL };
            return pulumi.output(principal);
        }
        return aws.elb.getServiceAccountOutput({ region: name }, { parent }).arn.apply((arn): LogDeliveryPrincipal => ({ AWS: arn }));
    });
}
