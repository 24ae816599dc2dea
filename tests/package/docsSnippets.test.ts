/**
 * docs/component-package.md shows the same cluster in TypeScript, Python and YAML. Each snippet's
 * names are checked against the schema Pulumi infers: inputs, nested fields, enum members and
 * outputs. The TypeScript one also runs, under the offline mocks, against the entry module.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";
import { parse } from "yaml";
import * as packageMain from "../..";
import * as entry from "../../components";
import { API_CLUSTER_TYPE } from "../../components/apiCluster";
import { runUnderMocks } from "../../preview/runUnderMocks";
import {
    PACKAGE_DIR,
    PackageSchema,
    SCHEMA_BUILD_TIMEOUT_MS,
    SchemaProperty,
    packageSchema,
    referencedType,
} from "../support/packageSchema";
import { ofType } from "../support/resources";

const DOC = fs.readFileSync(path.join(PACKAGE_DIR, "docs", "component-package.md"), "utf8");

/** The one fenced block of `language` under the heading that starts with `heading`. */
function snippet(heading: string, language: string): string {
    const section = DOC.split(/^### /m).find((part) => part.startsWith(heading));
    assert.ok(section, `docs/component-package.md has a section "${heading}"`);
    const blocks = [...section.matchAll(new RegExp("^```" + language + "\\n([\\s\\S]*?)^```$", "gm"))];
    assert.strictEqual(blocks.length, 1, `one ${language} block under "${heading}"`);
    return blocks[0][1];
}

/** snake_case to camelCase, as the Python SDK maps names. */
function camel(name: string): string {
    return name.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

/** PascalCase to UPPER_SNAKE, as the Python SDK names enum members. */
function upperSnake(name: string): string {
    return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

/** The object type or enum a schema type name (`HealthCheck`, `NetworkMode`) stands for. */
function schemaType(schemaDoc: PackageSchema, name: string) {
    const type = schemaDoc.types[`api-cluster:index:${name}`];
    assert.ok(type, `the schema has a type ${name}`);
    return type;
}

/** Asserts that a YAML value fits a schema property: known fields, enum values, nested objects. */
function assertFits(schemaDoc: PackageSchema, property: SchemaProperty, value: unknown, at: string): void {
    if (property.$ref === undefined) {
        return;
    }
    const { type } = referencedType(schemaDoc, property);
    if (type.enum) {
        assert.ok(
            type.enum.some((member) => member.value === value),
            `${at}: ${JSON.stringify(value)} is one of ${type.enum.map((m) => m.value).join(", ")}`,
        );
        return;
    }
    assert.ok(typeof value === "object" && value !== null, `${at} is an object`);
    for (const [key, item] of Object.entries(value)) {
        const field = type.properties?.[key];
        assert.ok(field, `${at}.${key} is a field of the schema type`);
        assertFits(schemaDoc, field, item, `${at}.${key}`);
    }
}

describe("docs/component-package.md snippets", function () {
    this.timeout(SCHEMA_BUILD_TIMEOUT_MS);
    let schemaDoc: PackageSchema;

    before(async () => {
        schemaDoc = await packageSchema();
    });

    describe("YAML", () => {
        const program = parse(snippet("YAML", "yaml"));

        it("declares an ApiCluster by its type token with only schema inputs, fields and enum values", () => {
            const resource = schemaDoc.resources[API_CLUSTER_TYPE];
            assert.strictEqual(program.resources.api.type, API_CLUSTER_TYPE);
            const properties: Record<string, unknown> = program.resources.api.properties;
            assert.deepStrictEqual(Object.keys(properties), ["instanceCount", "network", "healthCheck", "stickiness", "adminPassword"]);
            for (const [key, value] of Object.entries(properties)) {
                assert.ok(resource.inputProperties[key], `${key} is an input`);
                assertFits(schemaDoc, resource.inputProperties[key], value, key);
            }
        });

        it("exports only outputs of the schema, and takes the password from secret config", () => {
            const outputs = Object.values(program.outputs as Record<string, string>).map((ref) => /^\$\{api\.(\w+)\}$/.exec(ref)?.[1]);
            assert.deepStrictEqual(outputs, ["url", "instances"]);
            for (const name of outputs) {
                assert.ok(schemaDoc.resources[API_CLUSTER_TYPE].properties[name!], `${name} is an output`);
            }
            assert.deepStrictEqual(program.config.adminPassword, { type: "string", secret: true });
        });
    });

    describe("Python", () => {
        const code = snippet("Python", "python");

        it("passes only schema inputs and fields, by their snake_case names, and enum members that exist", () => {
            const resource = schemaDoc.resources[API_CLUSTER_TYPE];
            // Each call's keyword arguments, by the callee: ApiCluster(...) or a type's Args(...).
            const calls: { callee: string; keywords: string[] }[] = [];
            const stack: { callee: string; keywords: string[] }[] = [];
            for (const token of code.matchAll(/(\w+)\(|\)|\b(\w+)=(?!=)/g)) {
                if (token[1]) {
                    const call = { callee: token[1], keywords: [] };
                    stack.push(call);
                    calls.push(call);
                } else if (token[0] === ")") {
                    stack.pop();
                } else {
                    stack[stack.length - 1].keywords.push(token[2]);
                }
            }
            const cluster = calls.find((call) => call.callee === "ApiCluster");
            assert.ok(cluster);
            assert.deepStrictEqual(cluster.keywords.map(camel), ["instanceCount", "network", "healthCheck", "stickiness", "adminPassword"]);
            for (const keyword of cluster.keywords) {
                assert.ok(resource.inputProperties[camel(keyword)], `${keyword} is an input`);
            }
            const typeCalls = calls.filter((call) => /Args$/.test(call.callee));
            assert.deepStrictEqual(
                typeCalls.map((call) => call.callee),
                ["HealthCheckArgs", "StickinessArgs"],
            );
            for (const call of typeCalls) {
                const type = schemaType(schemaDoc, call.callee.replace(/Args$/, ""));
                for (const keyword of call.keywords) {
                    assert.ok(type.properties?.[camel(keyword)], `${call.callee}.${keyword} is a field`);
                }
            }
            const members = [...code.matchAll(/api_cluster\.(\w+)\.([A-Z_]+)\b/g)];
            assert.strictEqual(members.length, 2);
            for (const [, enumName, member] of members) {
                const names = (schemaType(schemaDoc, enumName).enum ?? []).map((m) => upperSnake(m.name));
                assert.ok(names.includes(member), `${enumName}.${member} is one of ${names.join(", ")}`);
            }
        });

        it("exports only outputs of the schema", () => {
            const outputs = [...code.matchAll(/pulumi\.export\("\w+", cluster\.(\w+)\)/g)].map((match) => camel(match[1]));
            assert.deepStrictEqual(outputs, ["url", "instances"]);
            for (const name of outputs) {
                assert.ok(schemaDoc.resources[API_CLUSTER_TYPE].properties[name], `${name} is an output`);
            }
        });
    });

    describe("TypeScript", () => {
        const code = snippet("TypeScript", "typescript");

        it("imports only what the entry module exports, and enum members the schema has", () => {
            const imported = /import \{ ([^}]+) \} from "api-cluster";/.exec(code)?.[1].split(", ");
            assert.deepStrictEqual(imported, ["ApiCluster", "NetworkMode", "StickinessType"]);
            for (const name of imported) {
                assert.ok(name in entry, `the entry module exports ${name}`);
            }
            const members = [...code.matchAll(/\b(NetworkMode|StickinessType)\.(\w+)/g)];
            assert.strictEqual(members.length, 2);
            for (const [, enumName, member] of members) {
                const names = (schemaType(schemaDoc, enumName).enum ?? []).map((m) => m.name);
                assert.ok(names.includes(member), `${enumName}.${member} is one of ${names.join(", ")}`);
            }
        });

        it("runs against the entry module under mocks and builds the cluster it describes", async () => {
            const js = ts.transpileModule(code, {
                compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
            }).outputText;
            const moduleExports: Record<string, unknown> = {};
            // The snippet's two imports: the package by its name (through package.json's main), and the SDK.
            const modules: Record<string, unknown> = { "api-cluster": packageMain, "@pulumi/pulumi": pulumi };
            const requireMapped = (id: string) => {
                assert.ok(id in modules, `the snippet imports only api-cluster and @pulumi/pulumi; got ${id}`);
                return modules[id];
            };
            const { outputs, resources } = await runUnderMocks(
                () => {
                    new Function("require", "exports", js)(requireMapped, moduleExports);
                    return moduleExports;
                },
                {
                    config: { "aws:region": "us-east-1", "api-cluster:adminPassword": "docs-snippet-password" },
                    secretKeys: ["api-cluster:adminPassword"],
                },
            );
            assert.deepStrictEqual(Object.keys(outputs), ["url", "instances"]);
            assert.strictEqual((outputs.instances as unknown[]).length, 3);
            const [targetGroup] = ofType(resources, "aws:lb/targetGroup:TargetGroup");
            assert.deepStrictEqual(targetGroup.inputs.stickiness, {
                enabled: true,
                type: "app_cookie",
                cookieDuration: 86400,
                cookieName: "API_SESSION",
            });
            assert.strictEqual(targetGroup.inputs.healthCheck.interval, 15);
            assert.strictEqual(ofType(resources, "awsx:ec2:Vpc").length, 1);
        });
    });
});
