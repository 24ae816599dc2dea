/**
 * The OfflineMocks class, the Pulumi mocks of the offline AWS world, and the stub that lets
 * resources with hooks register under mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { OfflineAccount } from "./account";
import { fakeHex } from "./fakeValues";
import { invokeMocks } from "./invokes";
import type { Inputs } from "./mockTypes";
import { outputMocks } from "./outputs";
import type { RegisteredResource } from "./registered";

/**
 * Resource hooks under mocks. @pulumi/pulumi 3.270's MockMonitor has no `registerResourceHook`: a
 * hook's registration rejects with "this._monitor.registerResourceHook is not a function" (an
 * unhandled rejection that ends the process) and the resource bound to it never finishes
 * registering (pulumi/pulumi#20874). Hooks never run under mocks anyway
 * (there is no engine to call them back), so the stub accepts every hook and runs none; the hook
 * functions are tested on their own against a mocked AWS SDK client. Which hooks a resource
 * binds still shows: runUnderMocks records each registration's hook names.
 */
(MockMonitor.prototype as unknown as Record<string, unknown>).registerResourceHook = function registerResourceHook(
    _request: unknown,
    callback: (err: Error | null, response: object) => void,
): void {
    callback(null, {});
};

/**
 * A mock's failure as one line that names what failed (`invoke <token>`, or `<type> <name>` for a
 * resource) and why. The SDK shows an invoke's failure through `details`, as the engine's gRPC
 * errors carry it, and prefixes each property it was serializing to the same Error's message; the
 * offline preview's CLI prints the line without that prefix (see preview/cli.ts).
 */
function offlineMockFailure(what: string, err: unknown): Error {
    const reason = String(err instanceof Error ? err.message : err).replace(/^offline mocks: /, "");
    const message = `offline mocks: ${what}: ${reason.split("\n").join(" ")}`;
    return Object.assign(new Error(message), { details: message });
}

/**
 * Pulumi mocks for the offline AWS world. `resources` fills as the program registers resources,
 * including component resources and the stack, with each one's parent.
 */
export class OfflineMocks implements pulumi.runtime.Mocks {
    /** The fake account's region, VPC and subnets. */
    readonly account: OfflineAccount;
    /** Resources in registration order. */
    readonly resources: RegisteredResource[] = [];

    constructor(region = "us-east-1") {
        this.account = new OfflineAccount(region);
    }

    /**
     * What earlier deployments recorded in Stash resources, by logical name: a Stash named here
     * keeps this output whatever its input, as the engine's builtin provider does on an update
     * (pulumi pkg/resource/deploy/builtins.go: Update keeps the old `output`); any other Stash is
     * created, its output its input. Empty by default: every offline run is a first deployment.
     */
    readonly recordedStashes = new Map<string, unknown>();

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Inputs } {
        try {
            this.adoptConfiguredNetwork();
            if (args.type === "pulumi:index:Stash") {
                const output = this.recordedStashes.has(args.name) ? this.recordedStashes.get(args.name) : args.inputs.input;
                return {
                    id: `${fakeHex(`stash/${args.name}`, 8)}-0000-4000-8000-${fakeHex(`stash-id/${args.name}`, 12)}`,
                    state: { input: args.inputs.input, output },
                };
            }
            const computed = outputMocks[args.type]?.(args.name, args.inputs, this.account) ?? {};
            const id = computed.id ?? (args.custom === false ? undefined : `${args.name}-${fakeHex(args.name, 8)}`);
            return { id, state: { ...args.inputs, ...computed } };
        } catch (err) {
            throw offlineMockFailure(`${args.type} ${args.name}`, err);
        }
    }

    call(args: pulumi.runtime.MockCallArgs): Inputs {
        try {
            this.adoptConfiguredNetwork();
            const mock = invokeMocks[args.token];
            if (!mock) {
                throw new Error("no mock for it; add one to invokeMocks in preview/mocks/invokes.ts");
            }
            return mock(args.inputs, this.account);
        } catch (err) {
            throw offlineMockFailure(`invoke ${args.token}`, err);
        }
    }

    /** Whether the configured existing network has been adopted (see adoptConfiguredNetwork). */
    private adopted = false;

    /**
     * Adopts the VPC and subnets of `api-cluster:existingNetwork` when the stack's config sets
     * `api-cluster:network` to `existing` (see OfflineAccount.adoptNetwork), once, at the first
     * invoke or resource: the config is set by then, and no lookup has run yet.
     */
    private adoptConfiguredNetwork(): void {
        if (this.adopted) {
            return;
        }
        this.adopted = true;
        const config = new pulumi.Config("api-cluster");
        const given = config.getObject<Record<string, unknown>>("existingNetwork");
        if (config.get("network") !== "existing" || typeof given !== "object" || given === null) {
            return;
        }
        const ids = (value: unknown) => (Array.isArray(value) ? value.filter((id): id is string => typeof id === "string") : []);
        if (typeof given.vpcId === "string") {
            this.account.adoptNetwork(given.vpcId, ids(given.loadBalancerSubnetIds), ids(given.instanceSubnetIds));
        }
    }
}
