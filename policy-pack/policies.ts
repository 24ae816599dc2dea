/**
 * Every policy of the pack, in the order the pack serves them. Importing this module constructs no
 * `PolicyPack` (index.ts does), so tests and tools can import it freely.
 */
import type { Policy } from "@pulumi/policy";
import { albListenerForwardsToHealthCheckedTargetGroup } from "./policies/albListenerForwardsToHealthCheckedTargetGroup";
import { albListenerRedirectsHttpToHttps } from "./policies/albListenerRedirectsHttpToHttps";
import { albListenerRequiresHttpProtocol } from "./policies/albListenerRequiresHttpProtocol";
import { albLoadBalancerDropsInvalidHeaderFields } from "./policies/albLoadBalancerDropsInvalidHeaderFields";
import { albLoadBalancerRequiresAccessLogs } from "./policies/albLoadBalancerRequiresAccessLogs";
import { albLoadBalancerRequiresApplicationType } from "./policies/albLoadBalancerRequiresApplicationType";
import { albLoadBalancerRequiresDeletionProtectionInProduction } from "./policies/albLoadBalancerRequiresDeletionProtectionInProduction";
import { albLoadBalancerRequiresListener } from "./policies/albLoadBalancerRequiresListener";
import { albTargetGroupRequiresHealthCheck } from "./policies/albTargetGroupRequiresHealthCheck";
import { albTargetGroupRequiresHttpProtocol } from "./policies/albTargetGroupRequiresHttpProtocol";
import { albTargetGroupRequiresRegisteredTargets } from "./policies/albTargetGroupRequiresRegisteredTargets";
import { albTargetGroupRequiresUnhealthyHostAlarm } from "./policies/albTargetGroupRequiresUnhealthyHostAlarm";
import { albTargetGroupRequiresValidStickiness } from "./policies/albTargetGroupRequiresValidStickiness";
import { autoscalingGroupAttachedRequiresElbHealthCheck } from "./policies/autoscalingGroupAttachedRequiresElbHealthCheck";
import { autoscalingGroupRequiresElbHealthCheck } from "./policies/autoscalingGroupRequiresElbHealthCheck";
import { autoscalingGroupRequiresPinnedLaunchTemplateVersion } from "./policies/autoscalingGroupRequiresPinnedLaunchTemplateVersion";
import { ec2InstanceDisallowsPublicAppPortIngress } from "./policies/ec2InstanceDisallowsPublicAppPortIngress";
import { ec2InstanceRequiresEncryptedRootVolume } from "./policies/ec2InstanceRequiresEncryptedRootVolume";
import { ec2InstanceRequiresImdsv2 } from "./policies/ec2InstanceRequiresImdsv2";
import { ec2SecurityGroupDisallowsPublicSshRdp } from "./policies/ec2SecurityGroupDisallowsPublicSshRdp";
import { elbLoadBalancerDisallowsTcpSslListeners } from "./policies/elbLoadBalancerDisallowsTcpSslListeners";
import { elbLoadBalancerPrefersApplicationLoadBalancer } from "./policies/elbLoadBalancerPrefersApplicationLoadBalancer";
import { elbLoadBalancerRequiresHttpHealthCheck } from "./policies/elbLoadBalancerRequiresHttpHealthCheck";

/** The pack's policies, grouped by concern; `PolicyPack` and the offline analyzer serve them in this order. */
export const policies: Policy[] = [
    // HTTP-layer routing.
    albLoadBalancerRequiresApplicationType,
    albListenerRequiresHttpProtocol,
    albTargetGroupRequiresHttpProtocol,
    elbLoadBalancerDisallowsTcpSslListeners,
    elbLoadBalancerPrefersApplicationLoadBalancer,
    // Health-check presence.
    albTargetGroupRequiresHealthCheck,
    autoscalingGroupRequiresElbHealthCheck,
    elbLoadBalancerRequiresHttpHealthCheck,
    // Stack-level.
    albListenerForwardsToHealthCheckedTargetGroup,
    albLoadBalancerRequiresListener,
    albTargetGroupRequiresRegisteredTargets,
    autoscalingGroupAttachedRequiresElbHealthCheck,
    // Encryption in transit (a stack check: a listener rule belongs to a listener).
    albListenerRedirectsHttpToHttps,
    // Extras.
    albLoadBalancerDropsInvalidHeaderFields,
    ec2InstanceRequiresImdsv2,
    ec2InstanceRequiresEncryptedRootVolume,
    ec2InstanceDisallowsPublicAppPortIngress,
    ec2SecurityGroupDisallowsPublicSshRdp,
    albTargetGroupRequiresValidStickiness,
    albLoadBalancerRequiresDeletionProtectionInProduction,
    autoscalingGroupRequiresPinnedLaunchTemplateVersion,
    // Operations: a record of requests, and an alarm that someone hears.
    albLoadBalancerRequiresAccessLogs,
    albTargetGroupRequiresUnhealthyHostAlarm,
];
