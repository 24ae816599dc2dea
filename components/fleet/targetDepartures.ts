/**
 * What one program run (one `pulumi up` or `pulumi destroy --run-program`) has already decided
 * about the targets leaving a target group. The engine runs the deletes of one round in parallel
 * (deployment_executor.go runs each antichain of ScheduleDeletes at once), so two `beforeDelete`
 * guards can ask AWS at the same moment, each see the other's target still healthy, and both let
 * theirs go. So a target a guard has let go no longer counts as serving, whatever AWS still
 * reports (its deregistration starts only after the hook returns). A guard counts the serving
 * targets and records its own in one synchronous step after AWS's answer, so two guards of one
 * run never both count each other. Holds no AWS client, so declaring the hooks loads no SDK.
 */

/** A target as the ledger names it: `<instance id>:<port>`. */
export function targetKey(targetId: string, port: number): string {
    return `${targetId}:${port}`;
}

/** The targets each target group is losing in this run. */
export class TargetDepartures {
    /** Targets let go so far, by target group ARN. */
    private readonly leaving = new Map<string, Set<string>>();

    /** Records that the target may leave: later decisions no longer count it as serving. */
    letGo(targetGroupArn: string, key: string): void {
        const keys = this.leaving.get(targetGroupArn) ?? new Set<string>();
        keys.add(key);
        this.leaving.set(targetGroupArn, keys);
    }

    /** Whether this run has already let the target go. */
    isLeaving(targetGroupArn: string, key: string): boolean {
        return this.leaving.get(targetGroupArn)?.has(key) ?? false;
    }
}
