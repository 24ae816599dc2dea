/**
 * The schema Pulumi infers from the package's TypeScript, as `pulumi package add` would get it
 * (the plugin host's ComponentProvider, in-process). Driven by the settings table, so a key added
 * to SETTINGS is checked here without touching this file.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { API_CLUSTER_TYPE } from "../../components/apiCluster";
import { SETTINGS, SettingSpec } from "../../components/config/schema";
import {
    PACKAGE_DIR,
    PackageSchema,
    SCHEMA_BUILD_TIMEOUT_MS,
    SchemaProperty,
    packageSchema,
    referencedType,
} from "../support/packageSchema";

/** Args of ApiCluster that are not config settings, with the shape each must have. */
const EXTRA_INPUTS: Record<string, SchemaProperty> = {
    adminPassword: { type: "string", optional: true },
};

/** The component's outputs: its public properties, nothing else. */
const OUTPUTS: Record<string, SchemaProperty> = {
    url: { type: "string" },
    loadBalancerDnsName: { type: "string" },
    loadBalancerArn: { type: "string" },
    targetGroupArn: { type: "string" },
    instances: { type: "array", items: { $ref: "#/types/api-cluster:index:ClusterInstanceInfo" } },
    autoScalingGroupName: { type: "string" },
    launchTemplateId: { type: "string" },
    albSecurityGroupId: { type: "string" },
    instanceSecurityGroupId: { type: "string" },
    imageId: { type: "string" },
    adminPasswordParameterName: { type: "string" },
    appPort: { type: "number" },
    adminUsername: { type: "string" },
    alarmTopicArn: { type: "string" },
    dashboardUrl: { type: "string" },
    accessLogBucketName: { type: "string" },
};

/** A property without its description, to compare shapes. */
function shape(property: SchemaProperty): SchemaProperty {
    return Object.fromEntries(Object.entries(property).filter(([key]) => key !== "description"));
}

/** Asserts a description read from a doc comment: a full sentence, plain text. */
function assertDescribed(property: SchemaProperty | undefined, at: string): void {
    assert.ok(property, `${at} is in the schema`);
    assert.strictEqual(typeof property.description, "string", `${at} has a description`);
    assert.match(property.description!, /^[A-Z`].{6,}\.$/s, `${at}'s description is a sentence`);
    assert.doesNotMatch(property.description!, /\[object Object\]|undefined/, `${at}'s description is plain text`);
}

/**
 * Asserts that a setting's schema property has the shape its spec implies, recursing into
 * object settings. Returns the type tokens it visited.
 */
function assertSettingShape(schemaDoc: PackageSchema, spec: SettingSpec, property: SchemaProperty | undefined, at: string): string[] {
    assertDescribed(property, at);
    const actual = shape(property!);
    switch (spec.kind) {
        case "integer":
            // The schema has no integers: TypeScript's `number` is inferred as number; validation keeps integers.
            assert.deepStrictEqual(actual, { type: "number", optional: true, plain: true }, at);
            return [];
        case "string":
            assert.deepStrictEqual(
                actual,
                spec.acceptsOutputs ? { type: "string", optional: true } : { type: "string", optional: true, plain: true },
                at,
            );
            return [];
        case "boolean":
            assert.deepStrictEqual(actual, { type: "boolean", optional: true, plain: true }, at);
            return [];
        case "stringList":
            // A list of Inputs (existingNetwork's subnet ids) takes Outputs as items; other lists are plain throughout.
            assert.deepStrictEqual(
                actual,
                {
                    type: "array",
                    items: spec.acceptsOutputs ? { type: "string" } : { type: "string", plain: true },
                    optional: true,
                    plain: true,
                },
                at,
            );
            return [];
        case "choice": {
            const { token, type } = referencedType(schemaDoc, actual);
            assert.deepStrictEqual(actual, { $ref: `#/types/${token}`, optional: true, plain: true }, at);
            assert.strictEqual(type.type, "string", `${at}: ${token} is a string enum`);
            assert.deepStrictEqual(
                type.enum?.map((member) => member.value),
                [...spec.choices],
                `${at}: ${token}'s values are the setting's choices`,
            );
            for (const member of type.enum ?? []) {
                assert.match(member.name, /^[A-Z][A-Za-z0-9]*$/, `${token}.${member.name} is a PascalCase member name`);
                assert.ok((member.description ?? "").length > 10, `${token}.${member.name} has a description`);
            }
            return [token];
        }
        case "object": {
            const { token, type } = referencedType(schemaDoc, actual);
            assert.deepStrictEqual(actual, { $ref: `#/types/${token}`, optional: true, plain: true }, at);
            assert.strictEqual(type.type, "object", `${at}: ${token} is an object type`);
            assert.deepStrictEqual(Object.keys(type.properties ?? {}).sort(), Object.keys(spec.fields).sort(), `${at}: ${token}'s fields`);
            assert.deepStrictEqual(type.required, [], `${at}: every field of ${token} may be left out`);
            return [
                token,
                ...Object.entries(spec.fields).flatMap(([field, fieldSpec]) =>
                    assertSettingShape(schemaDoc, fieldSpec, type.properties?.[field], `${at}.${field}`),
                ),
            ];
        }
    }
}

/** Every `$ref` anywhere in a JSON value. */
function references(value: unknown): string[] {
    if (Array.isArray(value)) return value.flatMap(references);
    if (typeof value !== "object" || value === null) return [];
    return Object.entries(value).flatMap(([key, item]) => (key === "$ref" && typeof item === "string" ? [item] : references(item)));
}

describe("the component package's schema", function () {
    this.timeout(SCHEMA_BUILD_TIMEOUT_MS);
    let schemaDoc: PackageSchema;

    before(async () => {
        schemaDoc = await packageSchema();
    });

    it("is the api-cluster package at package.json's version, with exactly one component, ApiCluster", () => {
        const packageJson = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, "package.json"), "utf8"));
        assert.strictEqual(schemaDoc.name, "api-cluster");
        assert.strictEqual(schemaDoc.version, packageJson.version);
        assert.deepStrictEqual(Object.keys(schemaDoc.resources), [API_CLUSTER_TYPE]);
        assert.strictEqual(API_CLUSTER_TYPE, "api-cluster:index:ApiCluster");
        const resource = schemaDoc.resources[API_CLUSTER_TYPE];
        assert.strictEqual(resource.isComponent, true);
        assert.match(resource.description ?? "", /^The API as a cluster of EC2 instances behind an application load balancer\./);
    });

    it("takes exactly the settings table's keys plus adminPassword, every one optional", () => {
        const resource = schemaDoc.resources[API_CLUSTER_TYPE];
        assert.deepStrictEqual(
            Object.keys(resource.inputProperties).sort(),
            [...Object.keys(SETTINGS), ...Object.keys(EXTRA_INPUTS)].sort(),
        );
        assert.deepStrictEqual(resource.requiredInputs, []);
    });

    for (const [key, spec] of Object.entries(SETTINGS)) {
        it(`types and describes the input ${key} as its ${spec.kind} setting`, () => {
            assertSettingShape(schemaDoc, spec, schemaDoc.resources[API_CLUSTER_TYPE].inputProperties[key], key);
        });
    }

    for (const [key, expected] of Object.entries(EXTRA_INPUTS)) {
        it(`types and describes the input ${key}`, () => {
            const property = schemaDoc.resources[API_CLUSTER_TYPE].inputProperties[key];
            assertDescribed(property, key);
            assert.deepStrictEqual(shape(property), expected);
        });
    }

    it("outputs exactly the class's public properties, each typed and described, none of them internal settings", () => {
        const resource = schemaDoc.resources[API_CLUSTER_TYPE];
        assert.deepStrictEqual(Object.keys(resource.properties).sort(), Object.keys(OUTPUTS).sort());
        assert.deepStrictEqual(resource.required, Object.keys(OUTPUTS).sort());
        for (const [key, expected] of Object.entries(OUTPUTS)) {
            assertDescribed(resource.properties[key], `output ${key}`);
            assert.deepStrictEqual(shape(resource.properties[key]), expected, `output ${key}`);
        }
    });

    it("describes each instance in the instances output with its id, zone and private IP", () => {
        const info = schemaDoc.types["api-cluster:index:ClusterInstanceInfo"];
        assert.strictEqual(info.type, "object");
        assert.deepStrictEqual(info.required, ["availabilityZone", "id", "privateIp"]);
        for (const field of info.required) {
            assertDescribed(info.properties?.[field], `ClusterInstanceInfo.${field}`);
            assert.deepStrictEqual(shape(info.properties![field]), { type: "string" }, `ClusterInstanceInfo.${field}`);
        }
    });

    it("has exactly the types the inputs and outputs reference, and nothing typed Any", () => {
        const inputs = schemaDoc.resources[API_CLUSTER_TYPE].inputProperties;
        const fromSettings = Object.entries(SETTINGS).flatMap(([key, spec]) => assertSettingShape(schemaDoc, spec, inputs[key], key));
        const expected = [...fromSettings, "api-cluster:index:ClusterInstanceInfo"].sort();
        assert.deepStrictEqual(Object.keys(schemaDoc.types).sort(), expected);
        const referenced = [...new Set(references(schemaDoc))].sort();
        assert.deepStrictEqual(
            referenced,
            expected.map((token) => `#/types/${token}`),
        );
    });
});
