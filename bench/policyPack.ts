/**
 * Benchmark: the policy pack's evaluation of a synthetic 5,000-resource stack, resource and stack
 * policies together, through the same in-process analyzer the offline preview uses.
 *
 * The stack repeats one cluster unit: an application load balancer with its security group and ingress
 * rule, an HTTP listener forwarding to a health-checked target group, and instances in their own
 * security group (admitting the load balancer's group), each registered with a target group attachment.
 * Every third listener uses a weighted forward; every tenth target group has a health check the pack
 * flags, so violations are found and reported too. Inputs are the policy tests' compliant fixtures,
 * plus the outputs the mocks would compute (`arn`, `id`) and the property dependencies the SDK would
 * record, as the offline preview passes them.
 */
import { AnalyzedResource, analyzeInProcess } from "../policy-pack/analyzeInProcess";
import { instanceInputs, loadBalancerInputs, targetGroupInputs } from "../tests/policies/fixtures";
import { changed } from "../tests/policies/harness";

/** What one run measured. */
export interface PolicyPackBenchResult {
    /** Custom resources analyzed (the stack resource, a component, is not counted). */
    resources: number;
    /** Wall-clock seconds of one evaluation: the median of the measured runs. */
    seconds: number;
    resourcesPerSecond: number;
}

const PROJECT = "api-cluster";
const STACK = "bench";
const REGION = "us-east-1";
const ACCOUNT = "123456789012";
const STACK_URN = `urn:pulumi:${STACK}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${STACK}`;

function urn(type: string, name: string): string {
    return `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`;
}

function arn(resource: string): string {
    return `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:${resource}`;
}

/** Builds a synthetic stack of exactly `count` custom resources, plus the stack resource. */
export function syntheticStack(count = 5000, instancesPerUnit = 4): AnalyzedResource[] {
    const resources: AnalyzedResource[] = [
        {
            urn: STACK_URN,
            type: "pulumi:pulumi:Stack",
            name: `${PROJECT}-${STACK}`,
            custom: false,
            inputs: {},
            dependencies: [],
            propertyDependencies: {},
        },
    ];
    const add = (
        type: string,
        name: string,
        inputs: Record<string, unknown>,
        propertyDependencies: Record<string, string[]> = {},
    ): string => {
        const resourceUrn = urn(type, name);
        const dependencies = [...new Set(Object.values(propertyDependencies).flat())];
        resources.push({ urn: resourceUrn, type, name, parent: STACK_URN, custom: true, inputs, dependencies, propertyDependencies });
        return resourceUrn;
    };
    for (let unit = 0; resources.length - 1 < count; unit++) {
        const albSgId = `sg-alb${unit}`;
        const albSg = add("aws:ec2/securityGroup:SecurityGroup", `alb-sg-${unit}`, { vpcId: "vpc-1", description: "ALB", id: albSgId });
        add(
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            `alb-ingress-${unit}`,
            { securityGroupId: albSgId, ipProtocol: "tcp", fromPort: 8082, toPort: 8082, cidrIpv4: "0.0.0.0/0", id: `sgr-a${unit}` },
            { securityGroupId: [albSg] },
        );
        const lbArn = arn(`loadbalancer/app/api-${unit}/${unit}`);
        const lb = add(
            "aws:lb/loadBalancer:LoadBalancer",
            `api-alb-${unit}`,
            { ...loadBalancerInputs(), securityGroups: [albSgId], arn: lbArn, id: lbArn },
            { securityGroups: [albSg] },
        );
        const tgArn = arn(`targetgroup/api-${unit}/${unit}`);
        const tgInputs = unit % 10 === 9 ? changed(targetGroupInputs(), "healthCheck.path", "health") : targetGroupInputs();
        const tg = add("aws:lb/targetGroup:TargetGroup", `api-tg-${unit}`, { ...tgInputs, arn: tgArn, id: tgArn });
        const defaultActions =
            unit % 3 === 2
                ? [{ type: "forward", forward: { targetGroups: [{ arn: tgArn, weight: 100 }] } }]
                : [{ type: "forward", targetGroupArn: tgArn }];
        add(
            "aws:lb/listener:Listener",
            `api-listener-${unit}`,
            { loadBalancerArn: lbArn, port: 8082, protocol: "HTTP", defaultActions, arn: arn(`listener/app/api-${unit}/${unit}/l`) },
            { loadBalancerArn: [lb], defaultActions: [tg] },
        );
        const instanceSgId = `sg-inst${unit}`;
        const instanceSg = add("aws:ec2/securityGroup:SecurityGroup", `instance-sg-${unit}`, {
            vpcId: "vpc-1",
            description: "API",
            id: instanceSgId,
        });
        add(
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            `instance-ingress-${unit}`,
            {
                securityGroupId: instanceSgId,
                ipProtocol: "tcp",
                fromPort: 8082,
                toPort: 8082,
                referencedSecurityGroupId: albSgId,
                id: `sgr-i${unit}`,
            },
            { securityGroupId: [instanceSg], referencedSecurityGroupId: [albSg] },
        );
        for (let i = 0; i < instancesPerUnit && resources.length - 1 < count; i++) {
            const instanceId = `i-${unit}x${i}`;
            const instance = add(
                "aws:ec2/instance:Instance",
                `api-${unit}-${i}`,
                { ...instanceInputs(), vpcSecurityGroupIds: [instanceSgId], id: instanceId },
                { vpcSecurityGroupIds: [instanceSg] },
            );
            if (resources.length - 1 < count) {
                add(
                    "aws:lb/targetGroupAttachment:TargetGroupAttachment",
                    `api-${unit}-${i}-attachment`,
                    { targetGroupArn: tgArn, targetId: instanceId, port: 8082 },
                    { targetGroupArn: [tg], targetId: [instance] },
                );
            }
        }
    }
    return resources.slice(0, count + 1);
}

/** Times the pack over the synthetic stack: one warm-up run, then the median of three. */
export async function benchPolicyPack(count = 5000): Promise<PolicyPackBenchResult> {
    const resources = syntheticStack(count);
    await analyzeInProcess(resources);
    const times: number[] = [];
    for (let run = 0; run < 3; run++) {
        const start = process.hrtime.bigint();
        await analyzeInProcess(resources);
        times.push(Number(process.hrtime.bigint() - start) / 1e9);
    }
    const seconds = times.sort((a, b) => a - b)[1];
    return { resources: count, seconds, resourcesPerSecond: count / seconds };
}

if (require.main === module) {
    benchPolicyPack().then(
        (result) => {
            console.log(
                `policy pack: ${result.resources} resources in ${result.seconds.toFixed(3)} s ` +
                    `(${Math.round(result.resourcesPerSecond)} resources/s)`,
            );
        },
        (err: unknown) => {
            console.error(err);
            process.exitCode = 1;
        },
    );
}
