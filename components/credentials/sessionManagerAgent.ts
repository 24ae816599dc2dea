/**
 * What the Systems Manager agent on an instance needs to register and take Session Manager
 * sessions and Run Command commands, and nothing that reads parameters: AWS's managed policy
 * AmazonSSMManagedInstanceCore also grants ssm:GetParameter and ssm:GetParameters on `*`, which lets
 * any process on the instance (or a Maven plugin in the bake) read every parameter of the account.
 *
 * - ssm:UpdateInstanceInformation: the agent registers the instance and reports its status; the
 *   action takes the instance as its resource, so it is narrowed to this account's instances.
 * - ssmmessages:*Channel: Session Manager's control and data channels (sessions and port forwards).
 * - ec2messages:*: the message service Run Command uses; EC2 Image Builder drives a bake through
 *   Run Command. Neither ssmmessages nor ec2messages actions have a resource type, so they take `*`.
 */
import * as pulumi from "@pulumi/pulumi";

/** The Session Manager channel actions. */
export const SSM_MESSAGES_ACTIONS = [
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
];

/** The Run Command message actions. */
export const EC2_MESSAGES_ACTIONS = [
    "ec2messages:AcknowledgeMessage",
    "ec2messages:DeleteMessage",
    "ec2messages:FailMessage",
    "ec2messages:GetEndpoint",
    "ec2messages:GetMessages",
    "ec2messages:SendReply",
];

/** Where the policy applies: the partition, region and account of the instances. */
export interface AgentScope {
    /** The partition, such as `aws`. */
    partition: pulumi.Input<string>;
    /** The region of the instances. */
    region: pulumi.Input<string>;
    /** The account id of the instances. */
    accountId: pulumi.Input<string>;
}

/** The agent's policy document as JSON, for an inline role policy. */
export function sessionManagerAgentPolicy(scope: AgentScope): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "RegisterThisAccountsInstances",
                Effect: "Allow",
                Action: "ssm:UpdateInstanceInformation",
                Resource: pulumi.interpolate`arn:${scope.partition}:ec2:${scope.region}:${scope.accountId}:instance/*`,
            },
            { Sid: "SessionManagerChannels", Effect: "Allow", Action: SSM_MESSAGES_ACTIONS, Resource: "*" },
            { Sid: "RunCommandMessages", Effect: "Allow", Action: EC2_MESSAGES_ACTIONS, Resource: "*" },
        ],
    });
}
