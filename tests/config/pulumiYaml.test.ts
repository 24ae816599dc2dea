import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { APP_FIELDS, HEALTH_CHECK_FIELDS, SETTINGS, STICKINESS_FIELDS, SettingSpec } from "../../components/config/schema";

const projectFile = parse(fs.readFileSync(path.join(__dirname, "..", "..", "Pulumi.yaml"), "utf8"));
const declared: Record<string, { type?: string; default?: unknown; value?: unknown; description?: string }> = projectFile.config;

/** The Pulumi.yaml schema type of a setting. */
function schemaType(spec: SettingSpec): string {
    return { integer: "integer", string: "string", choice: "string", boolean: "boolean", stringList: "array", object: "object" }[spec.kind];
}

/** Every default of an object setting's fields. */
function objectDefaults(fields: Record<string, SettingSpec>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(fields).flatMap(([key, spec]) => ("default" in spec ? [[key, spec.default]] : [])));
}

describe("Pulumi.yaml", () => {
    it("names the project api-cluster, the config namespace", () => {
        assert.strictEqual(projectFile.name, "api-cluster");
        assert.deepStrictEqual(projectFile.runtime, { name: "nodejs", options: { typescript: true } });
    });

    it("declares exactly the settings that have a default, and leaves optional ones out", () => {
        const withDefault = Object.entries(SETTINGS)
            .filter(([, spec]) => (spec.kind === "object" && !spec.optional) || "default" in spec)
            .map(([key]) => `api-cluster:${key}`)
            .sort();
        assert.deepStrictEqual(Object.keys(declared).sort(), withDefault);
    });

    it("gives each scalar and list key the schema's type and default, and a description", () => {
        for (const [key, spec] of Object.entries(SETTINGS)) {
            const declaration = declared[`api-cluster:${key}`];
            if (!declaration || spec.kind === "object") continue;
            assert.strictEqual(declaration.type, schemaType(spec), key);
            assert.deepStrictEqual(declaration.default, "default" in spec ? spec.default : undefined, key);
            assert.ok((declaration.description ?? "").length > 20, `${key} has a description`);
        }
    });

    it("holds the code's defaults in the object keys' project values", () => {
        assert.deepStrictEqual(declared["api-cluster:healthCheck"].value, objectDefaults(HEALTH_CHECK_FIELDS));
        assert.deepStrictEqual(declared["api-cluster:stickiness"].value, objectDefaults(STICKINESS_FIELDS));
        assert.deepStrictEqual(declared["api-cluster:app"].value, objectDefaults(APP_FIELDS));
    });

    it("documents every key in the README's configuration table", () => {
        const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
        for (const key of [...Object.keys(SETTINGS), "adminPassword"]) {
            assert.match(readme, new RegExp(`^\\| \`${key}(\\.[a-zA-Z]+)?\` \\|`, "m"), key);
        }
    });
});
