/**
 * ApiCluster: the lesson's API cluster as one component. It bakes the API's AMI (or takes one),
 * launches N instances from it across availability zones, and puts them behind an application
 * load balancer with an HTTP listener (8082 by default), a health-checked target group and a
 * sticky-session toggle.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ClusterSettingsArgs } from "./config/schema";
import { SettingsError, resolveSettings } from "./config/validate";
import { AdminCredential } from "./credentials/adminCredential";
import { renderBootScript } from "./credentials/bootScript";
import { ApiImage } from "./image/apiImage";
import { clusterInstances } from "./instances";
import { clusterLoadBalancer } from "./loadBalancer";
import { componentNameProblem } from "./naming";
import { clusterNetwork } from "./network";
import { clusterSecurityGroups } from "./securityGroups";

/** The component's type token. */
export const API_CLUSTER_TYPE = "api-cluster:index:ApiCluster";

/** Where the reference API's source lives: the repository's `app/` folder. */
export const REFERENCE_APP_DIRECTORY = path.join(__dirname, "..", "app");

/**
 * Arguments of an ApiCluster: every setting (ClusterSettingsArgs, one per `api-cluster:*` config
 * key, each optional with its documented default), plus the two that are not config settings.
 */
export interface ApiClusterArgs extends ClusterSettingsArgs {
    /** The admin user's password; pass it as a secret. Default: a random 32-character password. Either way it is stored only in SSM Parameter Store. As the config key, set with `pulumi config set --secret`, it must be 12 to 1024 characters on one line. */
    adminPassword?: pulumi.Input<string>;
    /** Absolute path of the folder holding the API that the AMI bake installs, on the machine that runs the deployment. Default: the reference API in this package's `app/`. Ignored with `amiId`. */
    appDirectory?: string;
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
    /** The API's address through the load balancer: `http://<dns>:<port>` (`https://` with a certificate). */
    readonly url: pulumi.Output<string>;
    /** The load balancer's DNS name. */
    readonly loadBalancerDnsName: pulumi.Output<string>;
    /** The load balancer's ARN. */
    readonly loadBalancerArn: pulumi.Output<string>;
    /** The target group's ARN, for `aws elbv2 wait target-in-service`. */
    readonly targetGroupArn: pulumi.Output<string>;
    /** Every instance's id, availability zone and private IP, in launch order. */
    readonly instances: pulumi.Output<ClusterInstanceInfo[]>;
    /** The load balancer's security group id. */
    readonly albSecurityGroupId: pulumi.Output<string>;
    /** The instances' security group id. */
    readonly instanceSecurityGroupId: pulumi.Output<string>;
    /** The AMI the instances run: the baked image's, or `amiId`. */
    readonly imageId: pulumi.Output<string>;
    /** Name of the SSM SecureString parameter holding the admin password. */
    readonly adminPasswordParameterName: pulumi.Output<string>;

    /**
     * Validates every argument before registering anything, and throws one SettingsError that
     * names each problem.
     */
    constructor(name: string, args: ApiClusterArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
        const { adminPassword, appDirectory, ...settingsArgs } = args;
        const nameProblem = componentNameProblem(name);
        const settings = resolveSettings(settingsArgs, (field) => `ApiClusterArgs.${field}`, {}, nameProblem ? [nameProblem] : []);
        super(API_CLUSTER_TYPE, name, {}, opts);

        const network = clusterNetwork(name, settings, this);
        const groups = clusterSecurityGroups(name, settings, network.vpcId, this);
        const balancer = clusterLoadBalancer(
            name,
            settings,
            { vpcId: network.vpcId, subnetIds: network.loadBalancerSubnetIds, securityGroupId: groups.loadBalancer.id },
            this,
        );

        const parameterName = `/${pulumi.getProject()}/${pulumi.getStack()}/${name}/admin-password`;
        const password =
            adminPassword ??
            new random.RandomPassword(`${name}-generated-password`, { length: 32, special: false }, { parent: this }).result;
        const credential = new AdminCredential(`${name}-admin`, { password: pulumi.secret(password), parameterName }, { parent: this });
        const imageId =
            settings.amiId !== undefined
                ? pulumi.output(settings.amiId)
                : new ApiImage(
                      `${name}-image`,
                      { appDirectory: appDirectory ?? REFERENCE_APP_DIRECTORY, appPort: settings.appPort },
                      { parent: this },
                  ).imageId;

        const { instances } = clusterInstances(
            name,
            settings,
            {
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
            },
            this,
        );

        const scheme = settings.certificateArn !== undefined ? "https" : "http";
        this.loadBalancerDnsName = balancer.loadBalancer.dnsName;
        this.url = pulumi.interpolate`${scheme}://${balancer.loadBalancer.dnsName}:${settings.port}`;
        this.loadBalancerArn = balancer.loadBalancer.arn;
        this.targetGroupArn = balancer.targetGroup.arn;
        this.instances = pulumi
            .all(instances.map((instance) => pulumi.all([instance.id, instance.availabilityZone, instance.privateIp])))
            .apply((rows) => rows.map(([id, availabilityZone, privateIp]) => ({ id, availabilityZone, privateIp })));
        this.albSecurityGroupId = groups.loadBalancer.id;
        this.instanceSecurityGroupId = groups.instances.id;
        this.imageId = imageId;
        this.adminPasswordParameterName = credential.parameterName;

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
        });
    }
}

export { SettingsError };
