/**
 * ApiCluster: the lesson's API cluster as one component. It bakes the API's AMI (or takes one),
 * launches N instances from it across availability zones (bare instances, or an Auto Scaling group
 * with fleet `autoscaling`), and puts them behind an application load balancer with an HTTP
 * listener (8082 by default) or, with TLS, HTTPS on 443 and a redirect on 80, a health-checked
 * target group and a sticky-session toggle; with a hosted zone, it also requests the certificate
 * and points `domainName` at the load balancer. It watches itself: CloudWatch alarms to an encrypted
 * SNS topic, the load balancer's access logs in a bucket of their own, and a dashboard (monitoring/).
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ClusterSettingsArgs, FleetMode, usesTls } from "./config/schema";
import { SettingsError, resolveSettings } from "./config/validate";
import { AdminCredential } from "./credentials/adminCredential";
import { aliasRecord, hostedZoneId, validatedCertificate } from "./domain";
import { renderBootScript } from "./credentials/bootScript";
import { autoScalingFleet } from "./fleet/autoScalingFleet";
import { ApiImage, DEFAULT_BUILD_INSTANCE_TYPES } from "./image/apiImage";
import { keepAmi } from "./image/keepTag";
import { InstanceLaunch, clusterInstances } from "./instances";
import { clusterLoadBalancer } from "./loadBalancer";
import { accessLogBucket } from "./monitoring/accessLogBucket";
import { clusterMonitoring } from "./monitoring/clusterMonitoring";
import { componentNameProblem } from "./naming";
import { bakeSubnetId, clusterNetwork } from "./network";
import { clusterSecurityGroups } from "./securityGroups";
import { permissionsBoundaryTransformation } from "./permissionsBoundary";
import { stackTagTransformation } from "./stackTag";

/** The component's type token. */
export const API_CLUSTER_TYPE = "api-cluster:index:ApiCluster";

/**
 * Arguments of an ApiCluster: every setting (ClusterSettingsArgs, one per `api-cluster:*` config
 * key, each optional with its documented default), plus the admin password, which is no setting.
 */
export interface ApiClusterArgs extends ClusterSettingsArgs {
    /** The admin user's password; pass it as a secret. Default: a random 32-character password. Either way it is stored only in SSM Parameter Store. As the config key, set with `pulumi config set --secret`, it must be 12 to 1024 characters on one line. */
    adminPassword?: pulumi.Input<string>;
}

/** One instance of the cluster, as the outputs report it. */
export interface ClusterInstanceInfo {
    /** The EC2 instance id. */
    id: string;
    /** The availability zone it runs in. */
    availabilityZone: string;
    /** Its private IPv4 address. */
    privateIp: string;
}

/** The API as a cluster of EC2 instances behind an application load balancer. */
export class ApiCluster extends pulumi.ComponentResource {
    /**
     * The API's address through the load balancer: `http://<dns>:<port>` without TLS,
     * `https://<dns>` (port 443) with TLS, and `domainName` in place of the load balancer's DNS
     * name when set. With `certificateArn` and no `domainName`, this URL fails TLS hostname checks
     * (no certificate can cover `*.elb.amazonaws.com`): use a name the certificate covers that
     * points at `loadBalancerDnsName`.
     */
    readonly url: pulumi.Output<string>;
    /** The load balancer's DNS name. */
    readonly loadBalancerDnsName: pulumi.Output<string>;
    /** The load balancer's ARN. */
    readonly loadBalancerArn: pulumi.Output<string>;
    /** The target group's ARN, for `aws elbv2 wait target-in-service`. */
    readonly targetGroupArn: pulumi.Output<string>;
    /**
     * Every instance's id, availability zone and private IP, in launch order. Empty with fleet
     * `autoscaling`: the group launches and replaces its instances itself (list them with
     * `aws autoscaling describe-auto-scaling-groups --auto-scaling-group-names <autoScalingGroupName>`).
     */
    readonly instances: pulumi.Output<ClusterInstanceInfo[]>;
    /**
     * The Auto Scaling group's name with fleet `autoscaling`; an empty string with `instances`, since
     * Pulumi drops an unset output from the stack outputs with a warning.
     */
    readonly autoScalingGroupName: pulumi.Output<string>;
    /** The launch template's id with fleet `autoscaling`; empty with `instances`. */
    readonly launchTemplateId: pulumi.Output<string>;
    /** The load balancer's security group id. */
    readonly albSecurityGroupId: pulumi.Output<string>;
    /** The instances' security group id. */
    readonly instanceSecurityGroupId: pulumi.Output<string>;
    /** The AMI the instances run: the baked image's, or `amiId`. */
    readonly imageId: pulumi.Output<string>;
    /** Name of the SSM SecureString parameter holding the admin password. */
    readonly adminPasswordParameterName: pulumi.Output<string>;
    /** The port the API listens on inside each instance: where a Session Manager port forward goes. */
    readonly appPort: pulumi.Output<number>;
    /** HTTP Basic username of the API's admin user. */
    readonly adminUsername: pulumi.Output<string>;
    /**
     * The SNS topic every alarm notifies, on alarm and on recovery: subscribe a pager to it. An empty
     * string with `alarms` false.
     */
    readonly alarmTopicArn: pulumi.Output<string>;
    /** The CloudWatch console address of the cluster's dashboard. */
    readonly dashboardUrl: pulumi.Output<string>;
    /** The S3 bucket holding the load balancer's access logs; an empty string with `accessLogs` false. */
    readonly accessLogBucketName: pulumi.Output<string>;

    /**
     * Validates every argument before registering anything, and throws one SettingsError that
     * names each problem.
     */
    constructor(name: string, args: ApiClusterArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
        const { adminPassword, ...settingsArgs } = args;
        const nameProblem = componentNameProblem(name);
        const settings = resolveSettings(settingsArgs, (field) => `ApiClusterArgs.${field}`, {}, nameProblem ? [nameProblem] : []);
        // Every child carries the stack tag (stackTag.ts), and every role the boundary when one is
        // given (permissionsBoundary.ts); set last, after any transformation given.
        super(
            API_CLUSTER_TYPE,
            name,
            {},
            {
                ...opts,
                transformations: [
                    ...(opts.transformations ?? []),
                    stackTagTransformation(pulumi.getStack()),
                    permissionsBoundaryTransformation(settings.permissionsBoundaryArn),
                ],
            },
        );

        const network = clusterNetwork(name, settings, this);
        const groups = clusterSecurityGroups(name, settings, network.vpcId, this);
        const zoneId = hostedZoneId(settings, this);
        const certificateArn =
            settings.certificateArn ??
            (zoneId !== undefined && settings.domainName !== undefined
                ? validatedCertificate(name, settings.domainName, zoneId, this)
                : undefined);
        const logs = settings.accessLogs ? accessLogBucket(name, settings, this) : undefined;
        const balancer = clusterLoadBalancer(
            name,
            settings,
            { vpcId: network.vpcId, subnetIds: network.loadBalancerSubnetIds, securityGroupId: groups.loadBalancer.id },
            certificateArn,
            this,
            logs === undefined ? undefined : { bucket: logs.bucket.bucket, dependsOn: [logs.policy] },
        );
        if (zoneId !== undefined && settings.domainName !== undefined) {
            aliasRecord(name, settings.domainName, zoneId, balancer.loadBalancer, this);
        }

        const parameterName = `/${pulumi.getProject()}/${pulumi.getStack()}/${name}/admin-password`;
        const password =
            adminPassword ??
            new random.RandomPassword(`${name}-generated-password`, { length: 32, special: false }, { parent: this }).result;
        const credential = new AdminCredential(
            `${name}-admin`,
            { password: pulumi.secret(password), parameterName, sessionManager: settings.sessionManager },
            { parent: this },
        );
        if (settings.amiId !== undefined) {
            // An AMI this stack did not bake: keep the baking stack's lifecycle policy from deleting it.
            keepAmi(`${name}-ami-keep`, settings.amiId, this);
        }
        const imageId =
            settings.amiId !== undefined
                ? pulumi.output(settings.amiId)
                : new ApiImage(
                      `${name}-image`,
                      {
                          app: settings.app,
                          appPort: settings.appPort,
                          vpcId: network.vpcId,
                          subnetId: bakeSubnetId(network, DEFAULT_BUILD_INSTANCE_TYPES[0], this),
                          retainedImageCount: settings.imageRetentionCount,
                      },
                      { parent: this },
                  ).imageId;

        const launch: InstanceLaunch = {
            imageId,
            subnetIds: network.instanceSubnetIds,
            assignPublicIp: network.assignPublicIp,
            securityGroupId: groups.instances.id,
            instanceProfileName: credential.instanceProfileName,
            userData: renderBootScript({
                parameterName,
                adminUsername: settings.adminUsername,
                appPort: settings.appPort,
            }),
            targetGroupArn: balancer.targetGroup.arn,
            dependsOn: credential.instancePermissions,
        };
        let groupName: pulumi.Output<string> | undefined;
        if (settings.fleet === FleetMode.AutoScaling) {
            const fleet = autoScalingFleet(
                name,
                settings,
                launch,
                {
                    loadBalancerArnSuffix: balancer.loadBalancer.arnSuffix,
                    targetGroupArnSuffix: balancer.targetGroup.arnSuffix,
                    listener: balancer.listener,
                },
                this,
            );
            this.instances = pulumi.output([]);
            this.autoScalingGroupName = fleet.group.name;
            groupName = fleet.group.name;
            this.launchTemplateId = fleet.launchTemplate.id;
        } else {
            const { instances } = clusterInstances(name, settings, launch, this);
            this.instances = pulumi
                .all(instances.map((instance) => pulumi.all([instance.id, instance.availabilityZone, instance.privateIp])))
                .apply((rows) => rows.map(([id, availabilityZone, privateIp]) => ({ id, availabilityZone, privateIp })));
            this.autoScalingGroupName = pulumi.output("");
            this.launchTemplateId = pulumi.output("");
        }

        const monitoring = clusterMonitoring(
            name,
            settings,
            {
                loadBalancerArnSuffix: balancer.loadBalancer.arnSuffix,
                targetGroupArnSuffix: balancer.targetGroup.arnSuffix,
                zones: network.instanceSubnets.apply((subnets) => [...new Set(subnets.map((subnet) => subnet.availabilityZone))]),
                autoScalingGroupName: groupName,
            },
            this,
        );
        this.alarmTopicArn = monitoring.topic?.topic.arn ?? pulumi.output("");
        this.dashboardUrl = monitoring.dashboardUrl;
        this.accessLogBucketName = logs?.bucket.bucket ?? pulumi.output("");

        this.loadBalancerDnsName = balancer.loadBalancer.dnsName;
        // With a hosted zone, the name is the URL's once the lookup found the zone public and holding it.
        const domainName = settings.domainName;
        const host =
            domainName === undefined ? balancer.loadBalancer.dnsName : zoneId !== undefined ? zoneId.apply(() => domainName) : domainName;
        // With TLS the HTTPS listener is on 443, https's own port, which a URL leaves out.
        this.url = usesTls(settings) ? pulumi.interpolate`https://${host}` : pulumi.interpolate`http://${host}:${settings.port}`;
        this.loadBalancerArn = balancer.loadBalancer.arn;
        this.targetGroupArn = balancer.targetGroup.arn;
        this.albSecurityGroupId = groups.loadBalancer.id;
        this.instanceSecurityGroupId = groups.instances.id;
        this.imageId = imageId;
        this.adminPasswordParameterName = credential.parameterName;
        this.appPort = pulumi.output(settings.appPort);
        this.adminUsername = pulumi.output(settings.adminUsername);

        this.registerOutputs({
            url: this.url,
            loadBalancerDnsName: this.loadBalancerDnsName,
            loadBalancerArn: this.loadBalancerArn,
            targetGroupArn: this.targetGroupArn,
            instances: this.instances,
            albSecurityGroupId: this.albSecurityGroupId,
            instanceSecurityGroupId: this.instanceSecurityGroupId,
            imageId: this.imageId,
            adminPasswordParameterName: this.adminPasswordParameterName,
            appPort: this.appPort,
            adminUsername: this.adminUsername,
            autoScalingGroupName: this.autoScalingGroupName,
            launchTemplateId: this.launchTemplateId,
            alarmTopicArn: this.alarmTopicArn,
            dashboardUrl: this.dashboardUrl,
            accessLogBucketName: this.accessLogBucketName,
        });
    }
}

export { SettingsError };
