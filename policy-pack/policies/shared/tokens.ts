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

/** Classic load balancers (ELB v1). */
export const CLASSIC_LOAD_BALANCER_TOKENS: ReadonlySet<string> = new Set([
    "aws:elb/loadBalancer:LoadBalancer",
    "aws:elasticloadbalancing/loadBalancer:LoadBalancer",
]);

/** EC2 instances. */
export const INSTANCE_TOKENS: ReadonlySet<string> = new Set(["aws:ec2/instance:Instance"]);

/** EC2 security groups, whose inline `ingress` blocks are rules too. */
export const SECURITY_GROUP_TOKENS: ReadonlySet<string> = new Set(["aws:ec2/securityGroup:SecurityGroup"]);

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
