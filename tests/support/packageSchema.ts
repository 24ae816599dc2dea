/**
 * The component package as Pulumi serves it: a ComponentProvider over the components that
 * package.json's entry module exports, found the way the Node.js plugin host finds them
 * (`getPulumiComponents` over the module's exports). Inferring the schema type-checks the whole
 * project, which takes seconds, so the provider and its schema are built once per test run and
 * shared by every test file that asks.
 */
import * as path from "path";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
// The package itself, through package.json's `main`, as the plugin host loads it.
import * as packageMain from "../..";

/** The repository root: package.json, tsconfig.json and PulumiPlugin.yaml. */
export const PACKAGE_DIR = path.join(__dirname, "..", "..");

/** The package's name as Pulumi derives it from package.json: the first part of every type token. */
export const PACKAGE_NAME = "api-cluster";

/** A property of a resource or an object type in a Pulumi package schema. */
export interface SchemaProperty {
    /** A primitive type: string, number, integer, boolean, array or object. */
    type?: string;
    /** A reference to a type: `#/types/<token>`, or `pulumi.json#/Any`. */
    $ref?: string;
    /** The element type of an array. */
    items?: SchemaProperty;
    /** The value type of a map. */
    additionalProperties?: SchemaProperty;
    /** Set when the property takes a prompt value only, never an Output. */
    plain?: boolean;
    /** Set when the property may be left out. */
    optional?: boolean;
    /** The property's doc comment. */
    description?: string;
}

/** An object or enum type in a Pulumi package schema. */
export interface SchemaType {
    /** `object`, or the enum's primitive type. */
    type: string;
    /** The object's properties. */
    properties?: Record<string, SchemaProperty>;
    /** The object's required properties, sorted. */
    required?: string[];
    /** The enum's members. */
    enum?: { name: string; value: string | number; description?: string }[];
}

/** A component resource in a Pulumi package schema. */
export interface SchemaResource {
    /** The class's doc comment. */
    description?: string;
    /** True for a component resource. */
    isComponent?: boolean;
    /** The constructor's args. */
    inputProperties: Record<string, SchemaProperty>;
    /** Args that must be given, sorted. */
    requiredInputs: string[];
    /** The outputs: the class's public properties. */
    properties: Record<string, SchemaProperty>;
    /** Outputs always present, sorted. */
    required: string[];
}

/** The parts of a Pulumi package schema these tests read. */
export interface PackageSchema {
    /** The package name. */
    name: string;
    /** The package version, from package.json. */
    version: string;
    /** Component resources by type token. */
    resources: Record<string, SchemaResource>;
    /** Object and enum types by type token. */
    types: Record<string, SchemaType>;
}

let provider: ComponentProvider | undefined;
let schema: Promise<PackageSchema> | undefined;

/** The provider that serves the package, built on first use. */
export function packageProvider(): ComponentProvider {
    if (!provider) {
        provider = new ComponentProvider({ name: PACKAGE_NAME, dirname: PACKAGE_DIR, components: getPulumiComponents(packageMain) });
    }
    return provider;
}

/** The package's inferred schema, built once per run. */
export function packageSchema(): Promise<PackageSchema> {
    schema ??= packageProvider()
        .getSchema()
        .then((text) => JSON.parse(text) as PackageSchema);
    return schema;
}

/** The longest a schema build may take on a busy two-core machine. */
export const SCHEMA_BUILD_TIMEOUT_MS = 240_000;

/** The type a `#/types/<token>` reference names; fails on any other reference. */
export function referencedType(schemaDoc: PackageSchema, property: SchemaProperty): { token: string; type: SchemaType } {
    const match = /^#\/types\/(.+)$/.exec(property.$ref ?? "");
    if (!match) {
        throw new Error(`expected a reference to a package type; got ${JSON.stringify(property)}`);
    }
    const type = schemaDoc.types[match[1]];
    if (!type) {
        throw new Error(`the schema has no type ${match[1]}`);
    }
    return { token: match[1], type };
}
