/**
 * docs/local-cluster.md's mapping table names every config key once, as the schema declares them
 * (object settings by field), and says what each does locally or that it is ignored.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { SECRET_KEYS, SETTINGS } from "../../components/config/schema";

const DOC = path.resolve(__dirname, "..", "..", "docs", "local-cluster.md");

/** Every key as the README's configuration table writes it: object settings as `key.field`. */
function schemaKeys(): string[] {
    const keys = Object.entries(SETTINGS).flatMap(([key, spec]) =>
        spec.kind === "object" ? Object.keys(spec.fields).map((field) => `${key}.${field}`) : [key],
    );
    return [...keys, ...SECRET_KEYS].sort();
}

describe("docs/local-cluster.md", function () {
    it("maps every config key once, each to what it does locally or to 'ignored locally'", function () {
        const text = fs.readFileSync(DOC, "utf8");
        const section = text.slice(text.indexOf("## How the settings map"));
        const rows = section
            .split("\n")
            .filter((line) => /^\| `[A-Za-z0-9.]+` \|/.test(line))
            .map((line) => line.split("|").map((cell) => cell.trim()));
        const keys = rows.map((cells) => cells[1].replace(/`/g, ""));
        assert.deepStrictEqual([...keys].sort(), schemaKeys());
        for (const cells of rows) {
            assert.ok(cells[2].length > 0, `${cells[1]} says nothing`);
        }
        const ignored = rows.filter((cells) => cells[2].startsWith("ignored locally")).map((cells) => cells[1].replace(/`/g, ""));
        assert.deepStrictEqual(ignored, [
            "instanceType",
            "appPort",
            "allowedCidrs",
            "availabilityZones",
            "network",
            "vpcCidr",
            "deletionProtection",
            "sshCidrs",
            "keyName",
            "amiId",
            "certificateArn",
            "imageRetentionCount",
            "existingNetwork.vpcId",
            "existingNetwork.loadBalancerSubnetIds",
            "existingNetwork.instanceSubnetIds",
            "domainName",
            "hostedZoneId",
            "hostedZoneName",
            "sessionManager",
            "fleet",
            "minInstanceCount",
            "maxInstanceCount",
            "targetRequestsPerMinute",
            "healthCheckGracePeriodSeconds",
            "instanceWarmupSeconds",
            "permissionsBoundaryArn",
            "alarms",
            "alarmEmails",
            "alarmEvaluationMinutes",
            "alarmServerErrorPercent",
            "alarmLatencyP99Milliseconds",
            "accessLogs",
            "accessLogRetentionDays",
        ]);
    });
});
