/**
 * The pack's identity, shared by `index.ts` (which serves it to the Pulumi CLI) and
 * `analyzeInProcess.ts` (which runs it offline), so both report the same name and version.
 */
import * as fs from "fs";
import * as path from "path";
import type { EnforcementLevel } from "@pulumi/policy";

/** The pack's name, as `pulumi policy publish` and the CLI's "Policies:" section show it. */
export const PACK_NAME = "api-cluster-guardrails";

/** The pack's description, shown by `pulumi policy ls` and in Pulumi Cloud. */
export const PACK_DESCRIPTION =
    "Guardrails for api-cluster. Traffic is routed at the HTTP layer by an application load balancer, " +
    "and every target group health-checks its instances. Plain HTTP only redirects to HTTPS, and no instance " +
    "or launch template allows IMDSv1, unencrypted volumes, or SSH, RDP or the app port from the internet.";

/**
 * The pack-wide default enforcement level. Every policy sets its own level, so this applies to none of
 * them; it is @pulumi/policy's own default, spelled out so the offline analyzer uses the same one.
 */
export const PACK_ENFORCEMENT_LEVEL: EnforcementLevel = "advisory";

/**
 * The pack's version. `PolicyPack` reads it from `package.json` in the working directory, which is this
 * folder when the Pulumi CLI runs the pack; this reads the same file by its own path.
 */
export function packVersion(): string {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "package.json"), "utf8")) as { version?: string };
    if (!manifest.version) {
        throw new Error("policy-pack/package.json has no version");
    }
    return manifest.version;
}
