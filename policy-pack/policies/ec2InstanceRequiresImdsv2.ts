import { ResourceValidationPolicy } from "@pulumi/policy";
import { validateTypes } from "./shared/policy";
import { INSTANCE_TOKENS, LAUNCH_TEMPLATE_TOKENS } from "./shared/tokens";
import { asObject, isAbsent, isUnknown, show } from "./shared/values";

/** Instances and launch templates require IMDSv2 session tokens, so a forwarded request cannot read their credentials. */

/**
 * The tokens checked: an instance's and a launch template's `metadataOptions` have the same shape in
 * @pulumi/aws 7.48 (types/input.d.ts InstanceMetadataOptions, LaunchTemplateMetadataOptions: httpTokens,
 * httpEndpoint, httpPutResponseHopLimit).
 */
const TOKENS: ReadonlySet<string> = new Set([...INSTANCE_TOKENS, ...LAUNCH_TEMPLATE_TOKENS]);
export const ec2InstanceRequiresImdsv2: ResourceValidationPolicy = {
    name: "ec2-instance-requires-imdsv2",
    description:
        "EC2 instances and launch templates must require IMDSv2 session tokens for the instance metadata service, so that a server-side " +
        "request forgery in the API cannot read the instance's credentials. Turning the metadata service off also passes; " +
        "a hop limit above 1, which lets a container on the instance reach the service, is reported too.",
    enforcementLevel: "advisory",
    severity: "high",
    remediationSteps:
        'Set metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 } on the instance ' +
        "or the launch template (a hop limit of 2 only where containers on the instance need the metadata service).",
    validateResource: validateTypes(TOKENS, (props, _args, reportViolation) => {
        const value = props.metadataOptions;
        if (isUnknown(value)) {
            return;
        }
        const options = asObject(value);
        if (!options) {
            reportViolation('metadataOptions is not set, so IMDSv1 stays available; set metadataOptions.httpTokens to "required".');
            return;
        }
        const { httpTokens, httpEndpoint, httpPutResponseHopLimit: hops } = options;
        if (isUnknown(httpEndpoint) || httpEndpoint === "disabled") {
            return;
        }
        if (typeof hops === "number" && hops > 1) {
            reportViolation(
                `metadataOptions.httpPutResponseHopLimit is ${hops}, so a container on the instance can reach the metadata service; set it to 1 unless containers need it.`,
            );
        }
        if (isUnknown(httpTokens) || httpTokens === "required") {
            return;
        }
        reportViolation(
            isAbsent(httpTokens)
                ? 'metadataOptions.httpTokens is not set, so IMDSv1 stays available; set it to "required".'
                : `metadataOptions.httpTokens is ${show(httpTokens)}; set it to "required".`,
        );
    }),
};
