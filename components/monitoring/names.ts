/**
 * The AWS names of the cluster's monitoring resources. Alarms, the alarm topic and the dashboard are
 * named, not auto-named: an operator reads the alarm's name in the page it sends, and the names
 * begin with `<project>-<stack>-<component>`, which is what the deploy role (docs/delivery.md) and
 * the topic's key policy narrow on (`api-cluster-prod-*`).
 */
import * as pulumi from "@pulumi/pulumi";

/**
 * `<project>-<stack>-<name>` with every character outside `A-Za-z0-9_-` replaced by `-`: the one
 * character set that SNS topic names, dashboard names and alarm names all accept (a stack name may
 * hold a dot, which a dashboard name may not).
 */
export function monitoringPrefix(name: string): string {
    return `${pulumi.getProject()}-${pulumi.getStack()}-${name}`.replace(/[^A-Za-z0-9_-]/g, "-");
}
