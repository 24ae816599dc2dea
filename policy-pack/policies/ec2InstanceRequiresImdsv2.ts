import { ResourceValidationPolicy } from "@pulumi/policy";
import { validateTypes } from "./shared/policy";
import { INSTANCE_TOKENS } from "./shared/tokens";
import { asObject, isAbsent, isUnknown, show } from "./shared/values";

/** Instances require IMDSv2 session tokens, so a forwarded request cannot read their credentials. */
export const ec2InstanceRequiresImdsv2: ResourceValidationPolicy = {
    name: "ec2-instance-requires-imdsv2",
    description:
        "EC2 instances must require IMDSv2 session tokens for the instance metadata service, so that a server-side " +
        "request forgery in the API cannot read the instance's credentials. Turning the metadata service off also passes.",
    enforcementLevel: "advisory",
    severity: "high",
    remediationSteps: 'Set metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" } on the instance.',
    validateResource: validateTypes(INSTANCE_TOKENS, (props, _args, reportViolation) => {
        const value = props.metadataOptions;
        if (isUnknown(value)) {
            return;
        }
        const options = asObject(value);
        if (!options) {
            reportViolation('metadataOptions is not set, so IMDSv1 stays available; set metadataOptions.httpTokens to "required".');
            return;
        }
        const { httpTokens, httpEndpoint } = options;
        if (isUnknown(httpTokens) || isUnknown(httpEndpoint) || httpEndpoint === "disabled" || httpTokens === "required") {
            return;
        }
        reportViolation(
            isAbsent(httpTokens)
                ? 'metadataOptions.httpTokens is not set, so IMDSv1 stays available; set it to "required".'
                : `metadataOptions.httpTokens is ${show(httpTokens)}; set it to "required".`,
        );
    }),
};
