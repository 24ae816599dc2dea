/**
 * Value rules: each checks one value and, when it fails, says what is allowed. The schema
 * (schema.ts) assigns a rule to every setting; the validator (validate.ts, with valueCheck.ts) runs them.
 */

import { CidrBlock, IpFamily, parseCidr } from "../../policy-pack/policies/shared/cidr";

/** A rule's verdict: undefined when the value is allowed, otherwise what is allowed. */
export type RuleResult = string | undefined;

/** Checks one value that already has the right JavaScript type. */
export type Rule<T> = (value: T) => RuleResult;

/** An integer from `min` to `max`, both included. */
export function integerBetween(min: number, max: number): Rule<number> {
    return (value) => (Number.isInteger(value) && value >= min && value <= max ? undefined : `must be an integer from ${min} to ${max}`);
}

/** One of a fixed list of integers. */
export function integerOneOf(allowed: readonly number[]): Rule<number> {
    return (value) => (allowed.includes(value) ? undefined : `must be one of ${allowed.join(", ")}`);
}

/** One of a fixed list of strings. */
export function oneOf<T extends string>(allowed: readonly T[]): Rule<string> {
    return (value) => ((allowed as readonly string[]).includes(value) ? undefined : `must be one of ${allowed.join(", ")}`);
}

/** A string matching `pattern`, described to the user as `what`. */
export function matches(pattern: RegExp, what: string): Rule<string> {
    return (value) => (pattern.test(value) ? undefined : `must be ${what}`);
}

/** EC2 instance types: a family with a generation digit (`t3`, `m7i-flex`, `u-6tb1`), a dot, a size. */
export const instanceTypeRule = matches(
    /^(?=[^.]*\d)[a-z][a-z0-9-]*[a-z0-9]\.[a-z0-9]+$/,
    "an EC2 instance type such as t3.micro or m7i.large",
);

/** An availability zone name: a region such as `us-east-1` or `us-gov-west-1`, and a zone letter. */
export const availabilityZoneRule = matches(/^[a-z]{2}(-[a-z]+)+-\d+[a-z]$/, "an availability zone name such as us-east-1a");

/** The region of an availability zone name (valid per availabilityZoneRule): the name without its letter. */
export function zoneRegion(zone: string): string {
    return zone.slice(0, -1);
}

/** A VPC id: `vpc-` and 8 or 17 hex digits. */
export const vpcIdRule = matches(/^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/, "a VPC id such as vpc-0123456789abcdef0");

/** A subnet id: `subnet-` and 8 or 17 hex digits. */
export const subnetIdRule = matches(/^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/, "a subnet id such as subnet-0123456789abcdef0");

/**
 * Parses `a.b.c.d/n`; undefined when it is not an IPv4 CIDR block. `address` is the address as
 * written, host bits included. The parsing is the shared CIDR helper's (parseCidr), the one parser
 * of the project; this only narrows it to IPv4 in dotted quads with a one- or two-digit prefix.
 */
export function parseIpv4Cidr(value: string): { address: number; prefix: number } | undefined {
    if (!/^[0-9.]+\/\d{1,2}$/.test(value)) {
        return undefined;
    }
    const block = parseCidr(value);
    if (!block || block.family !== IpFamily.V4) {
        return undefined;
    }
    const written = parseCidr(`${value.slice(0, value.lastIndexOf("/"))}/32`) as CidrBlock;
    return { address: Number(written.first), prefix: block.prefix };
}

/** An IPv4 CIDR block whose host bits are zero, with a prefix length from `minPrefix` to `maxPrefix`. */
export function ipv4Cidr(minPrefix = 0, maxPrefix = 32): Rule<string> {
    const what =
        minPrefix === 0 && maxPrefix === 32
            ? "an IPv4 CIDR block such as 203.0.113.0/24"
            : `an IPv4 CIDR block from /${minPrefix} to /${maxPrefix}, such as 10.0.0.0/16`;
    return (value) => {
        const cidr = parseIpv4Cidr(value);
        if (!cidr || cidr.prefix < minPrefix || cidr.prefix > maxPrefix) {
            return `must be ${what}`;
        }
        const hostSize = 2 ** (32 - cidr.prefix);
        if (cidr.address % hostSize !== 0) {
            const network = cidr.address - (cidr.address % hostSize);
            const canonical = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join(".");
            return `must be ${what} with its host bits zero (did you mean ${canonical}/${cidr.prefix}?)`;
        }
        return undefined;
    };
}

/** HTTP status codes for a target group matcher: `200`, `200-299` or `200,204`, each within 200 to 499. */
export const matcherRule: Rule<string> = (value) => {
    const allowed = 'HTTP codes from 200 to 499 such as "200", "200-299" or "200,204"';
    const inRange = (code: string) => /^\d{3}$/.test(code) && Number(code) >= 200 && Number(code) <= 499;
    const parts = value.split(",");
    const valid = parts.every((part) => {
        const range = part.split("-");
        if (range.length === 1) {
            return inRange(range[0]);
        }
        return range.length === 2 && inRange(range[0]) && inRange(range[1]) && Number(range[0]) < Number(range[1]);
    });
    return valid ? undefined : `must be ${allowed}`;
};

/** The prefixes AWS reserves for its own load balancer cookies. */
export const RESERVED_COOKIE_PREFIXES = ["AWSALB", "AWSALBAPP", "AWSALBTG"] as const;

/** An application cookie name: an HTTP token that does not start with an AWS-reserved prefix. */
export const cookieNameRule: Rule<string> = (value) => {
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,255}$/.test(value)) {
        return "must be a cookie name of 1 to 255 letters, digits or !#$%&'*+-.^_`|~";
    }
    if (RESERVED_COOKIE_PREFIXES.some((prefix) => value.toUpperCase().startsWith(prefix))) {
        return `must not start with ${RESERVED_COOKIE_PREFIXES.join(", ")}, which AWS reserves`;
    }
    return undefined;
};

/** A fully qualified Java class name such as `com.example.Main`. */
export const javaClassNameRule = matches(
    /^(?=.{1,128}$)[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$/,
    "a Java class name of up to 128 characters such as com.example.api.Main",
);

/** Options that choose what the JVM runs; the cluster owns them. */
export const RESERVED_JVM_OPTIONS = ["-jar", "-cp", "-classpath", "--class-path"] as const;

/**
 * A JVM option: starts with `-`, one word of up to 100 letters, digits and `_.:=+,/@-` (no space,
 * quote, `$` or `%`, which the systemd unit would read specially), and not one that chooses what runs.
 */
export const jvmOptionRule: Rule<string> = (value) => {
    if (!/^-[A-Za-z0-9_.:=+,/@-]{1,99}$/.test(value)) {
        return "must be a JVM option such as -Xmx512m or -Dspring.profiles.active=prod: a dash, then up to 99 letters, digits or _.:=+,/@-";
    }
    if ((RESERVED_JVM_OPTIONS as readonly string[]).includes(value)) {
        return `must not be ${RESERVED_JVM_OPTIONS.join(", ")}: the cluster chooses the jar (see app.mainClass)`;
    }
    return undefined;
};

/**
 * A fully qualified DNS host name for a URL: two or more labels of lowercase letters, digits and
 * inner hyphens, each 1 to 63 characters, at most 253 in all, no trailing dot, no wildcard.
 */
export const dnsNameRule: Rule<string> = (value) => {
    const label = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
    const labels = value.split(".");
    const valid =
        value.length <= 253 && labels.length >= 2 && labels.every((part) => label.test(part)) && !/^\d+$/.test(labels[labels.length - 1]);
    return valid
        ? undefined
        : "must be a DNS name such as api.example.com: lowercase letters, digits and inner hyphens in dot-separated labels";
};

/** A Route 53 hosted zone id: `Z` and up to 31 uppercase letters and digits, without the `/hostedzone/` prefix. */
export const hostedZoneIdRule = matches(/^Z[A-Z0-9]{1,31}$/, "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ");

/**
 * An email address SNS can subscribe: a local part of letters, digits and `._%+-`, an `@`, and a
 * domain of two or more labels; at most 254 characters.
 */
export const emailAddressRule: Rule<string> = (value) => {
    const valid =
        value.length <= 254 &&
        /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/.test(
            value,
        );
    return valid ? undefined : "must be an email address such as oncall@example.com";
};
