/**
 * Every type token a resource of each kind can have. A resource registered through `aws.lb.*` or
 * `aws.alb.*` carries that module's token; a stack created by an older @pulumi/aws can still hold the
 * legacy tokens those classes list as aliases (`elasticloadbalancingv2`, `applicationloadbalancing`,
 * `elasticloadbalancing`), and `pulumi policy analyze` reads such state as it is.
 */

/** Elastic Load Balancing v2 load balancers: application, network and gateway. */
export const LOAD_BALANCER_TOKENS: ReadonlySet<string> = new Set([
    "aws:lb/loadBalancer:LoadBalancer",
    "aws:alb/loadBalancer:LoadBalancer",
    "aws:elasticloadbalancingv2/loadBalancer:LoadBalancer",
    "aws:applicationloadbalancing/loadBalancer:LoadBalancer",
]);

/** Elastic Load Balancing v2 listeners. */
export const LISTENER_TOKENS: ReadonlySet<string> = new Set([
    "aws:lb/listener:Listener",
    "aws:alb/listener:Listener",
    "aws:elasticloadbalancingv2/listener:Listener",
    "aws:applicationloadbalancing/listener:Listener",
]);

/** Elastic Load Balancing v2 listener rules. */
export const LISTENER_RULE_TOKENS: ReadonlySet<string> = new Set([
    "aws:lb/listenerRule:ListenerRule",
    "aws:alb/listenerRule:ListenerRule",
    "aws:elasticloadbalancingv2/listenerRule:ListenerRule",
    "aws:applicationloadbalancing/listenerRule:ListenerRule",
]);

/** Listeners and listener rules: the resources whose actions forward to target groups. */
export const FORWARDING_TOKENS: ReadonlySet<string> = new Set([...LISTENER_TOKENS, ...LISTENER_RULE_TOKENS]);

/** Elastic Load Balancing v2 target groups. */
export const TARGET_GROUP_TOKENS: ReadonlySet<string> = new Set([
    "aws:lb/targetGroup:TargetGroup",
    "aws:alb/targetGroup:TargetGroup",
    "aws:elasticloadbalancingv2/targetGroup:TargetGroup",
    "aws:applicationloadbalancing/targetGroup:TargetGroup",
]);

/** Registrations of one target in a target group. */
export const TARGET_GROUP_ATTACHMENT_TOKENS: ReadonlySet<string> = new Set([
    "aws:lb/targetGroupAttachment:TargetGroupAttachment",
    "aws:alb/targetGroupAttachment:TargetGroupAttachment",
    "aws:elasticloadbalancingv2/targetGroupAttachment:TargetGroupAttachment",
    "aws:applicationloadbalancing/targetGroupAttachment:TargetGroupAttachment",
]);

/**
 * The aws-native (CloudFormation-shaped) Elastic Load Balancing v2 tokens. Their properties are named as
 * in CloudFormation, camel-cased (`type`, `healthCheckEnabled`, `forwardConfig`), so checks read them
 * through the views in native.ts; the sets below are kept apart from the @pulumi/aws ones for that reason.
 */
export const NATIVE_LOAD_BALANCER_TOKEN = "aws-native:elasticloadbalancingv2:LoadBalancer";
/** An aws-native listener (`loadBalancerArn`, `protocol`, `defaultActions`; output `listenerArn`). */
export const NATIVE_LISTENER_TOKEN = "aws-native:elasticloadbalancingv2:Listener";
/** An aws-native listener rule (`listenerArn`, `actions`; output `ruleArn`). */
export const NATIVE_LISTENER_RULE_TOKEN = "aws-native:elasticloadbalancingv2:ListenerRule";
/** An aws-native target group (flat `healthCheck*` properties; output `targetGroupArn`). */
export const NATIVE_TARGET_GROUP_TOKEN = "aws-native:elasticloadbalancingv2:TargetGroup";

/** Every load balancer token, @pulumi/aws and aws-native. */
export const ANY_LOAD_BALANCER_TOKENS: ReadonlySet<string> = new Set([...LOAD_BALANCER_TOKENS, NATIVE_LOAD_BALANCER_TOKEN]);
/** Every listener token, @pulumi/aws and aws-native. */
export const ANY_LISTENER_TOKENS: ReadonlySet<string> = new Set([...LISTENER_TOKENS, NATIVE_LISTENER_TOKEN]);
/** Every listener rule token, @pulumi/aws and aws-native. */
export const ANY_LISTENER_RULE_TOKENS: ReadonlySet<string> = new Set([...LISTENER_RULE_TOKENS, NATIVE_LISTENER_RULE_TOKEN]);
/** Every listener and listener rule token, @pulumi/aws and aws-native. */
export const ANY_FORWARDING_TOKENS: ReadonlySet<string> = new Set([...ANY_LISTENER_TOKENS, ...ANY_LISTENER_RULE_TOKENS]);
/** Every target group token, @pulumi/aws and aws-native. */
export const ANY_TARGET_GROUP_TOKENS: ReadonlySet<string> = new Set([...TARGET_GROUP_TOKENS, NATIVE_TARGET_GROUP_TOKEN]);

/** Classic load balancers (ELB v1). */
export const CLASSIC_LOAD_BALANCER_TOKENS: ReadonlySet<string> = new Set([
    "aws:elb/loadBalancer:LoadBalancer",
    "aws:elasticloadbalancing/loadBalancer:LoadBalancer",
]);

/** EC2 instances. */
export const INSTANCE_TOKENS: ReadonlySet<string> = new Set(["aws:ec2/instance:Instance"]);

/**
 * EC2 launch templates. @pulumi/aws 7.48 lists no alias for `aws.ec2.LaunchTemplate` (ec2/launchTemplate.js
 * passes no `aliases`), so this one token is every launch template.
 */
export const LAUNCH_TEMPLATE_TOKENS: ReadonlySet<string> = new Set(["aws:ec2/launchTemplate:LaunchTemplate"]);

/** An aws-native EC2 instance (`securityGroupIds`, `securityGroups`). */
export const NATIVE_INSTANCE_TOKEN = "aws-native:ec2:Instance";

/** EC2 security groups, whose inline `ingress` blocks are rules too. */
export const SECURITY_GROUP_TOKENS: ReadonlySet<string> = new Set(["aws:ec2/securityGroup:SecurityGroup"]);
/** An aws-native security group: inline `securityGroupIngress[]` rules; output `groupId`. */
export const NATIVE_SECURITY_GROUP_TOKEN = "aws-native:ec2:SecurityGroup";
/** An aws-native standalone ingress rule (`groupId`, `ipProtocol`, `cidrIp`, `cidrIpv6`). */
export const NATIVE_SECURITY_GROUP_INGRESS_TOKEN = "aws-native:ec2:SecurityGroupIngress";
/** Every security group token, @pulumi/aws and aws-native. */
export const ANY_SECURITY_GROUP_TOKENS: ReadonlySet<string> = new Set([...SECURITY_GROUP_TOKENS, NATIVE_SECURITY_GROUP_TOKEN]);

/** A standalone security group rule (`aws.ec2.SecurityGroupRule`), ingress or egress by its `type`. */
export const SECURITY_GROUP_RULE_TOKEN = "aws:ec2/securityGroupRule:SecurityGroupRule";
/** A standalone ingress rule (`aws.vpc.SecurityGroupIngressRule`). */
export const SECURITY_GROUP_INGRESS_RULE_TOKEN = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

// Other resources that register targets in a target group.
/** An Auto Scaling group, through its `targetGroupArns` or `trafficSources`. */
export const AUTOSCALING_GROUP_TOKEN = "aws:autoscaling/group:Group";
/** An Auto Scaling attachment, through its `lbTargetGroupArn`. */
export const AUTOSCALING_ATTACHMENT_TOKEN = "aws:autoscaling/attachment:Attachment";
/** An Auto Scaling traffic source attachment, through its `trafficSource.identifier`. */
export const AUTOSCALING_TRAFFIC_SOURCE_ATTACHMENT_TOKEN = "aws:autoscaling/trafficSourceAttachment:TrafficSourceAttachment";
/** An ECS service, through its `loadBalancers[].targetGroupArn`. */
export const ECS_SERVICE_TOKEN = "aws:ecs/service:Service";

/**
 * Auto Scaling groups. @pulumi/aws lists no alias for `aws.autoscaling.Group`, so there is no legacy
 * token family: this one token is every Auto Scaling group.
 */
export const AUTOSCALING_GROUP_TOKENS: ReadonlySet<string> = new Set([AUTOSCALING_GROUP_TOKEN]);

/**
 * CloudWatch metric alarms. @pulumi/aws 7.48 lists no alias for `aws.cloudwatch.MetricAlarm`
 * (cloudwatch/metricAlarm.js passes no `aliases`), so this one token is every metric alarm.
 */
export const METRIC_ALARM_TOKENS: ReadonlySet<string> = new Set(["aws:cloudwatch/metricAlarm:MetricAlarm"]);
