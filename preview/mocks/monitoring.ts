/**
 * The cluster's monitoring (components/monitoring) in the fake account: the provider's Elastic Load
 * Balancing account table behind aws.elb.getServiceAccount, and what AWS computes for the alarms,
 * the alarm topic, its subscriptions, the refresh rule and the dashboard.
 */
import { OFFLINE_ACCOUNT_ID } from "./account";
import { autoName, fakeHex } from "./fakeValues";
import type { InvokeMock, OutputMock } from "./mockTypes";

/**
 * The Elastic Load Balancing account of each region that has one, copied from the provider
 * (terraform-provider-aws, internal/service/elb/service_account_data_source.go,
 * `accountIDPerRegionMap`, which @pulumi/aws 7.48 wraps): the regions available before August 2022.
 * me-central-1 is commented out there, as every later region is absent.
 */
export const ELB_SERVICE_ACCOUNTS: Readonly<Record<string, string>> = {
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-northeast-3": "383597477331",
    "ap-south-1": "718504428378",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-southeast-3": "589379963580",
    "ca-central-1": "985666609251",
    "cn-north-1": "638102146993",
    "cn-northwest-1": "037604701340",
    "eu-central-1": "054676820928",
    "eu-north-1": "897822967062",
    "eu-south-1": "635631232127",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-gov-east-1": "190560391635",
    "us-gov-west-1": "048591011584",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
};

/** The partition a region belongs to, as the provider derives the ARN's. */
function partitionOf(region: string): string {
    return region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}

/** The invokes of the monitoring. */
export const monitoringInvokeMocks: Record<string, InvokeMock> = {
    // As the provider's dataSourceServiceAccountRead: the given region or the provider's, the table's
    // account as `arn:<partition>:iam::<account>:root`, and the same error for a region not in it.
    "aws:elb/getServiceAccount:getServiceAccount": (inputs, account) => {
        const region: string = inputs.region ?? account.region;
        const id = ELB_SERVICE_ACCOUNTS[region];
        if (id === undefined) {
            throw new Error(`unsupported AWS Region: ${region}`);
        }
        return { id, arn: `arn:${partitionOf(region)}:iam::${id}:root`, region };
    },
};

/** What AWS computes for the monitoring's resources. */
export const monitoringOutputMocks: Record<string, OutputMock> = {
    "aws:cloudwatch/metricAlarm:MetricAlarm": (name, inputs, account) => {
        const alarmName: string = inputs.name ?? autoName(name);
        return { id: alarmName, name: alarmName, arn: account.arn("cloudwatch", `alarm:${alarmName}`) };
    },
    "aws:cloudwatch/dashboard:Dashboard": (_name, inputs) => ({
        id: inputs.dashboardName,
        dashboardArn: `arn:aws:cloudwatch::${OFFLINE_ACCOUNT_ID}:dashboard/${inputs.dashboardName}`,
    }),
    "aws:cloudwatch/eventRule:EventRule": (name, _inputs, account) => {
        const ruleName = autoName(name);
        return { id: ruleName, name: ruleName, arn: account.arn("events", `rule/${ruleName}`), eventBusName: "default" };
    },
    "aws:cloudwatch/eventTarget:EventTarget": (name, inputs) => {
        const targetId = autoName(name);
        return { id: `${inputs.rule}-${targetId}`, targetId, eventBusName: "default" };
    },
    "aws:sns/topic:Topic": (name, inputs, account) => {
        const topicName: string = inputs.name ?? autoName(name);
        const arn = account.arn("sns", topicName);
        return { id: arn, arn, name: topicName, owner: OFFLINE_ACCOUNT_ID };
    },
    "aws:sns/topicPolicy:TopicPolicy": (_name, inputs) => ({ id: inputs.arn, owner: OFFLINE_ACCOUNT_ID }),
    // An email subscription stays pending until its address confirms it: its ARN is then "pending confirmation".
    "aws:sns/topicSubscription:TopicSubscription": (name, inputs) => ({
        id: `${inputs.topic}:${fakeHex(`subscription/${name}`, 8)}-0000-4000-8000-${fakeHex(`subscription-id/${name}`, 12)}`,
        arn: `${inputs.topic}:${fakeHex(`subscription/${name}`, 8)}-0000-4000-8000-${fakeHex(`subscription-id/${name}`, 12)}`,
        pendingConfirmation: true,
        ownerId: OFFLINE_ACCOUNT_ID,
    }),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": (_name, inputs) => ({ id: inputs.bucket }),
};
