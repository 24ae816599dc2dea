/**
 * TLS by name (components/domain.ts) in the fake account: Route 53 hosted zones, ACM certificates
 * and their DNS validation, and records. Route 53 is global, so these zones belong to no region.
 */
import { fakeHex } from "./fakeValues";
import type { Inputs, InvokeMock, OutputMock } from "./mockTypes";

/** A hosted zone the fake account holds. */
export interface OfflineHostedZone {
    /** The zone's id, as Route 53 gives it without `/hostedzone/`. */
    id: string;
    /** The zone's name, without a trailing dot. */
    name: string;
    /** Whether the zone is private to VPCs. */
    privateZone: boolean;
}

/** The id the fake account gives the zone of `name`: Z and 20 uppercase hex digits. */
export function offlineZoneId(name: string, privateZone = false): string {
    return `Z${fakeHex(`hosted-zone/${privateZone ? "private" : "public"}/${name}`, 20).toUpperCase()}`;
}

/** The zones the fake account holds: the public example.com the stack files use, and a private zone. */
export const OFFLINE_HOSTED_ZONES: readonly OfflineHostedZone[] = [
    { id: offlineZoneId("example.com"), name: "example.com", privateZone: false },
    { id: offlineZoneId("internal.example.com", true), name: "internal.example.com", privateZone: true },
];

/** A hosted zone as aws:route53/getZone:getZone returns it. */
function zoneResult(zone: OfflineHostedZone): Inputs {
    const servers = ["ns-1.awsdns-00.com", "ns-2.awsdns-00.net", "ns-3.awsdns-00.org", "ns-4.awsdns-00.co.uk"];
    return {
        id: zone.id,
        zoneId: zone.id,
        name: zone.name,
        arn: `arn:aws:route53:::hostedzone/${zone.id}`,
        privateZone: zone.privateZone,
        callerReference: fakeHex(`caller/${zone.id}`, 12),
        comment: "",
        linkedServiceDescription: "",
        linkedServicePrincipal: "",
        nameServers: zone.privateZone ? [] : servers,
        primaryNameServer: zone.privateZone ? "" : servers[0],
        resourceRecordSetCount: 2,
        tags: {},
    };
}

/**
 * The zone lookup as the provider does it (terraform-provider-aws internal/service/route53/
 * zone_data_source.go): by id, GetHostedZone, which fails for an id the account lacks; by name,
 * every zone of that name and privacy (public unless `privateZone`), which must be exactly one.
 * A public zone by a name the fake account lacks is answered too, with an id derived from its name
 * (the same on every lookup), so a stack file naming its own zone previews offline.
 */
function getZone(inputs: Inputs): Inputs {
    if (inputs.zoneId !== undefined && inputs.name !== undefined) {
        throw new Error('offline mocks: getZone takes "zoneId" or "name", not both');
    }
    if (typeof inputs.zoneId === "string") {
        const zone = OFFLINE_HOSTED_ZONES.find((candidate) => candidate.id === inputs.zoneId);
        if (!zone) {
            throw new Error(
                `offline mocks: no hosted zone ${inputs.zoneId} in the fake account (NoSuchHostedZone); it holds ` +
                    `${OFFLINE_HOSTED_ZONES.map((known) => `${known.id} (${known.name})`).join(", ")}; add yours to OFFLINE_HOSTED_ZONES in preview/mocks/tls.ts`,
            );
        }
        return zoneResult(zone);
    }
    if (typeof inputs.name === "string") {
        const name = inputs.name.replace(/\.$/, "");
        const privateZone = inputs.privateZone === true;
        const zone = OFFLINE_HOSTED_ZONES.find((candidate) => candidate.name === name && candidate.privateZone === privateZone);
        if (zone) {
            return zoneResult(zone);
        }
        if (privateZone) {
            throw new Error(`offline mocks: no private hosted zone named ${name} in the fake account`);
        }
        return zoneResult({ id: offlineZoneId(name), name, privateZone: false });
    }
    throw new Error(`offline mocks: getZone needs "zoneId" or "name"; got ${JSON.stringify(inputs)}`);
}

/**
 * An ACM certificate's DNS validation for one name, as ACM words it: a CNAME named
 * `_<token>.<name>.` whose value is `_<token>.<token>.acm-validations.aws.`.
 */
function domainValidationOption(certificateName: string, domainName: string): Inputs {
    return {
        domainName,
        resourceRecordName: `_${fakeHex(`acm-name/${certificateName}/${domainName}`, 32)}.${domainName}.`,
        resourceRecordType: "CNAME",
        resourceRecordValue: `_${fakeHex(`acm-value/${certificateName}/${domainName}`, 32)}.${fakeHex(`acm-zone/${domainName}`, 10)}.acm-validations.aws.`,
    };
}

/** A DNS name as a record's `fqdn` gives it: without the trailing dot. */
function withoutTrailingDot(name: string): string {
    return name.replace(/\.$/, "");
}

/** The invoke mocks of TLS by name, by token (part of invokeMocks). */
export const tlsInvokeMocks: Record<string, InvokeMock> = { "aws:route53/getZone:getZone": getZone };

/** The computed-output mocks of TLS by name, by type (part of outputMocks). */
export const tlsOutputMocks: Record<string, OutputMock> = {
    // A requested certificate waits for validation; it lists its domain name as its only alternative name, as ACM does.
    "aws:acm/certificate:Certificate": (name, inputs, account) => {
        const hex = fakeHex(`certificate/${name}`, 32);
        const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
        const arn = account.arn("acm", `certificate/${uuid}`);
        const names: string[] = [inputs.domainName, ...((inputs.subjectAlternativeNames as string[] | undefined) ?? [])];
        return {
            id: arn,
            arn,
            status: "PENDING_VALIDATION",
            type: "AMAZON_ISSUED",
            keyAlgorithm: inputs.keyAlgorithm ?? "RSA_2048",
            subjectAlternativeNames: [...new Set(names)],
            domainValidationOptions: [...new Set(names)].map((domain) => domainValidationOption(name, domain)),
            validationEmails: [],
            renewalEligibility: "INELIGIBLE",
            pendingRenewal: false,
        };
    },
    // Not an AWS resource: the provider's id is the certificate's issue time.
    "aws:acm/certificateValidation:CertificateValidation": () => ({ id: "2025-01-01 00:00:00 +0000 UTC" }),
    // The provider's id joins the zone, the name and the type with underscores.
    "aws:route53/record:Record": (_name, inputs) => ({
        id: `${inputs.zoneId}_${withoutTrailingDot(String(inputs.name))}_${inputs.type}`,
        fqdn: withoutTrailingDot(String(inputs.name)),
    }),
};
