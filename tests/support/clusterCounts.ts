/** Resource counts the cluster tests share. */

/** Resources every cluster has, whatever its size and fleet, in the default VPC with an AMI id given (so no bake). */
export const FIXED_WITH_AMI: Record<string, number> = {
    "api-cluster:credentials:AdminCredential": 1,
    "api-cluster:index:ApiCluster": 1,
    "aws:ec2/securityGroup:SecurityGroup": 2,
    "aws:ec2/tag:Tag": 1,
    "aws:iam/instanceProfile:InstanceProfile": 1,
    "aws:iam/role:Role": 1,
    "aws:iam/rolePolicy:RolePolicy": 2,
    "aws:kms/key:Key": 1,
    "aws:lb/listener:Listener": 1,
    "aws:lb/loadBalancer:LoadBalancer": 1,
    "aws:lb/targetGroup:TargetGroup": 1,
    "aws:ssm/parameter:Parameter": 1,
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": 2,
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 2,
    "pulumi:index:Stash": 1,
    "pulumi:pulumi:Stack": 1,
    "random:index/randomPassword:RandomPassword": 1,
};
