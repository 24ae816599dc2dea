/**
 * The api-cluster program: reads the stack's `api-cluster:*` config and builds one ApiCluster.
 * A config mistake stops here, before any resource is registered, with every problem listed.
 */
import { ApiCluster } from "./components";
import { readStackSettings } from "./components/config/stackConfig";

const { settings, adminPassword } = readStackSettings();
const cluster = new ApiCluster("api", { ...settings, adminPassword });

/** The API through the load balancer (with `domainName`, through that name). */
export const url = cluster.url;
/** The load balancer's DNS name. */
export const loadBalancerDnsName = cluster.loadBalancerDnsName;
/** The load balancer's ARN. */
export const loadBalancerArn = cluster.loadBalancerArn;
/** The target group's ARN. */
export const targetGroupArn = cluster.targetGroupArn;
/** Each instance's id, availability zone and private IP. */
export const instances = cluster.instances;
/** The load balancer's security group. */
export const albSecurityGroupId = cluster.albSecurityGroupId;
/** The instances' security group. */
export const instanceSecurityGroupId = cluster.instanceSecurityGroupId;
/** The AMI the instances run. */
export const imageId = cluster.imageId;
/** The SSM parameter holding the admin password (read it with `aws ssm get-parameter --with-decryption`). */
export const adminPasswordParameterName = cluster.adminPasswordParameterName;
/** The port the API listens on inside each instance, for a Session Manager port forward (scripts/check-instances.sh). */
export const appPort = cluster.appPort;
/** The API admin user's name (its password: `adminPasswordParameterName`). */
export const adminUsername = cluster.adminUsername;
/** The Auto Scaling group's name (fleet `autoscaling`); empty with `instances`. `npm run rollout:wait -- --group <name>` follows its refresh. */
export const autoScalingGroupName = cluster.autoScalingGroupName;
/** The launch template's id (fleet `autoscaling`); empty with `instances`. */
export const launchTemplateId = cluster.launchTemplateId;
/** The SNS topic the alarms notify (subscribe a pager to it); empty with `alarms` false. */
export const alarmTopicArn = cluster.alarmTopicArn;
/** The CloudWatch console address of the cluster's dashboard. */
export const dashboardUrl = cluster.dashboardUrl;
/** The S3 bucket of the load balancer's access logs; empty with `accessLogs` false. */
export const accessLogBucketName = cluster.accessLogBucketName;
