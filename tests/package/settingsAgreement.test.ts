/**
 * One source of truth for every setting: the settings table (SETTINGS), the documented args
 * interfaces (their doc comments, read back from the inferred schema), Pulumi.yaml's config
 * declarations and README.md's configuration table must name the same keys with the same
 * descriptions. A key added to SETTINGS without an interface property, a doc comment, a README
 * row or (when it has a default) a Pulumi.yaml declaration fails here, and the message shows the
 * line to write.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { API_CLUSTER_TYPE } from "../../components/apiCluster";
import { SECRET_KEYS, SETTINGS, SettingSpec } from "../../components/config/schema";
import {
    PACKAGE_DIR,
    PackageSchema,
    SCHEMA_BUILD_TIMEOUT_MS,
    SchemaProperty,
    packageSchema,
    referencedType,
} from "../support/packageSchema";

/** A row of README's configuration table. */
interface ReadmeRow {
    /** The Type column. */
    type: string;
    /** The Default column. */
    default: string;
    /** The description column. */
    description: string;
}

/** The header of README's configuration table. */
const README_TABLE_HEADER = "| key | type | default | description |";

/** README's configuration table rows by key (`instanceCount`, `healthCheck.path`). */
function readmeRows(): Map<string, ReadmeRow> {
    const lines = fs.readFileSync(path.join(PACKAGE_DIR, "README.md"), "utf8").split("\n");
    const start = lines.indexOf(README_TABLE_HEADER);
    assert.ok(start >= 0, `README.md has a configuration table headed ${README_TABLE_HEADER}`);
    const rows = new Map<string, ReadmeRow>();
    for (const line of lines.slice(start + 2)) {
        const match = /^\| `([^`]+)` \| ([^|]+) \| ([^|]+) \| (.+) \|$/.exec(line);
        if (!match) break;
        rows.set(match[1], { type: match[2].trim(), default: match[3].trim(), description: match[4].trim() });
    }
    return rows;
}

/** The README Type column for a setting. */
function readmeType(spec: SettingSpec): string {
    return { integer: "integer", string: "string", choice: "string", boolean: "boolean", stringList: "list of strings", object: "object" }[
        spec.kind
    ];
}

/** The README Default column for a setting with a default: the value in backticks, quoted when a string is all digits. */
function readmeDefault(value: unknown): string {
    return typeof value === "string" && !/^\d+$/.test(value) ? `\`${value}\`` : `\`${JSON.stringify(value)}\``;
}

/** Every leaf setting (objects expanded into their fields) with its spec and its schema property. */
function leafSettings(schemaDoc: PackageSchema): { key: string; spec: SettingSpec; property: SchemaProperty }[] {
    const inputs = schemaDoc.resources[API_CLUSTER_TYPE].inputProperties;
    return Object.entries(SETTINGS).flatMap(([key, spec]) => {
        const property = inputs[key];
        assert.ok(property, `ClusterSettingsArgs has no property ${key}`);
        if (spec.kind !== "object") {
            return [{ key, spec, property }];
        }
        const { type } = referencedType(schemaDoc, property);
        return Object.entries(spec.fields).map(([field, fieldSpec]) => ({
            key: `${key}.${field}`,
            spec: fieldSpec,
            property: type.properties![field],
        }));
    });
}

describe("settings agreement: SETTINGS, the args' doc comments, Pulumi.yaml and README.md", function () {
    this.timeout(SCHEMA_BUILD_TIMEOUT_MS);
    let schemaDoc: PackageSchema;
    const rows = readmeRows();
    const declared: Record<string, { description?: string }> = parse(fs.readFileSync(path.join(PACKAGE_DIR, "Pulumi.yaml"), "utf8")).config;

    before(async () => {
        schemaDoc = await packageSchema();
    });

    it("gives every setting a documented property in the args", () => {
        for (const { key, property } of leafSettings(schemaDoc)) {
            assert.ok(property?.description, `${key} has a doc comment in the args interface`);
        }
    });

    it("has one README row per setting, with the table's type and default and the doc comment as description", () => {
        const expectedKeys = [...leafSettings(schemaDoc).map(({ key }) => key), ...SECRET_KEYS].sort();
        assert.deepStrictEqual([...rows.keys()].sort(), expectedKeys);
        for (const { key, spec, property } of leafSettings(schemaDoc)) {
            const row = rows.get(key)!;
            const expected = `| \`${key}\` | ${readmeType(spec)} | ${"default" in spec ? readmeDefault(spec.default) : row.default} | ${property.description} |`;
            const actual = `| \`${key}\` | ${row.type} | ${row.default} | ${row.description} |`;
            assert.strictEqual(actual, expected, `README row of ${key}`);
        }
    });

    it("describes adminPassword in README as ApiClusterArgs documents it", () => {
        const row = rows.get("adminPassword")!;
        assert.strictEqual(row.type, "secret string");
        assert.strictEqual(row.description, schemaDoc.resources[API_CLUSTER_TYPE].inputProperties.adminPassword.description);
    });

    it("gives each config key that Pulumi.yaml declares the doc comment as its description", () => {
        const inputs = schemaDoc.resources[API_CLUSTER_TYPE].inputProperties;
        for (const [fullKey, declaration] of Object.entries(declared)) {
            const key = fullKey.replace(/^api-cluster:/, "");
            if (SETTINGS[key as keyof typeof SETTINGS].kind === "object") {
                assert.strictEqual(declaration.description, undefined, `${fullKey} is a project value without a description`);
                continue;
            }
            assert.strictEqual(declaration.description, inputs[key].description, `description of ${fullKey}`);
        }
    });
});
