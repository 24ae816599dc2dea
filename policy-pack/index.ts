/**
 * The policy pack the Pulumi CLI loads (`pulumi preview --policy-pack policy-pack`). It only constructs
 * the pack: the policies are in `policies.ts`, so tests and tools can import them without starting the
 * gRPC server that constructing a `PolicyPack` starts. `PolicyPack` takes the version from package.json.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_DESCRIPTION, PACK_ENFORCEMENT_LEVEL, PACK_NAME } from "./packInfo";
import { policies } from "./policies";

new PolicyPack(PACK_NAME, {
    description: PACK_DESCRIPTION,
    enforcementLevel: PACK_ENFORCEMENT_LEVEL,
    policies,
});
