/**
 * The API's name in DNS, with a public Route 53 hosted zone (`hostedZoneId` or `hostedZoneName`):
 * the zone's lookup, an ACM certificate for `domainName` validated by DNS in that zone, and the
 * alias record that points `domainName` at the load balancer. The listeners that use the
 * certificate are in loadBalancer.ts.
 *
 * No AAAA record: the load balancer is IPv4 only (the cluster sets no dual-stack `ipAddressType`),
 * and an AAAA alias to it would answer IPv6 clients with nothing.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ClusterSettings } from "./config/schema";
import { SettingsError, isInZone } from "./config/validate";

/** TTL in seconds of the certificate's DNS validation record: short, so a fixed record is seen soon. */
export const VALIDATION_RECORD_TTL_SECONDS = 60;

/** The hosted zone as the lookup returns it: what the records and the checks need. */
interface ZoneFacts {
    /** The zone's id. */
    zoneId: string;
    /** The zone's name, without a trailing dot. */
    name: string;
    /** Whether the zone is private to VPCs. */
    privateZone?: boolean;
}

/**
 * Problems with a hosted zone the lookup found: a private zone (ACM validates through public DNS,
 * so its certificate would never be issued, and clients on the internet could not resolve the
 * name), and, for a zone given by id, a `domainName` outside it (by name, validation checked it
 * before anything was registered).
 */
export function zoneProblems(zone: ZoneFacts, settings: Pick<ClusterSettings, "hostedZoneId" | "hostedZoneName" | "domainName">): string[] {
    const key = settings.hostedZoneId !== undefined ? "hostedZoneId" : "hostedZoneName";
    const given = settings.hostedZoneId ?? settings.hostedZoneName;
    const problems: string[] = [];
    if (zone.privateZone === true) {
        problems.push(
            `${key} ${given} is a private hosted zone; give a public one: ACM validates the certificate through public DNS, and clients must resolve the name`,
        );
    }
    if (settings.domainName !== undefined && !isInZone(settings.domainName, zone.name)) {
        problems.push(`domainName must be in the hosted zone ${zone.name} (${key} ${given}); got ${JSON.stringify(settings.domainName)}`);
    }
    return problems;
}

/**
 * The id of the hosted zone the settings name, looked up (by id, or by name among public zones),
 * or undefined without one. The lookup fails the deployment with a SettingsError when the zone is
 * private or does not hold `domainName`.
 */
export function hostedZoneId(settings: ClusterSettings, parent: pulumi.Resource): pulumi.Output<string> | undefined {
    if (settings.hostedZoneId === undefined && settings.hostedZoneName === undefined) {
        return undefined;
    }
    const zone =
        settings.hostedZoneId !== undefined
            ? aws.route53.getZoneOutput({ zoneId: settings.hostedZoneId }, { parent })
            : aws.route53.getZoneOutput({ name: settings.hostedZoneName, privateZone: false }, { parent });
    return zone.apply((found) => {
        const problems = zoneProblems(found, settings);
        if (problems.length > 0) {
            throw new SettingsError(problems);
        }
        return found.zoneId;
    });
}

/**
 * An ACM certificate for `domainName`, validated by DNS in the zone: the certificate, the one
 * CNAME record ACM asks for, and the validation that waits until ACM has issued it. Returns the
 * certificate's ARN as the validation gives it, so a listener that uses it waits for the issue.
 */
export function validatedCertificate(
    name: string,
    domainName: string,
    zoneId: pulumi.Input<string>,
    parent: pulumi.Resource,
): pulumi.Output<string> {
    const opts = { parent };
    const certificate = new aws.acm.Certificate(`${name}-certificate`, { domainName, validationMethod: "DNS" }, opts);
    // One name and no alternative names: ACM asks for exactly one validation record.
    const option = certificate.domainValidationOptions.apply((options) => options[0]);
    const record = new aws.route53.Record(
        `${name}-certificate-validation-record`,
        {
            zoneId,
            name: option.resourceRecordName,
            type: option.resourceRecordType,
            records: [option.resourceRecordValue],
            ttl: VALIDATION_RECORD_TTL_SECONDS,
            // ACM's record name holds a token of this account and name: a record already there is
            // the same one, left by an earlier certificate for the name, and is taken over as it is.
            allowOverwrite: true,
        },
        opts,
    );
    const validation = new aws.acm.CertificateValidation(
        `${name}-certificate-validation`,
        { certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] },
        opts,
    );
    return validation.certificateArn;
}

/** Where the alias record points: the load balancer's DNS name and its canonical hosted zone. */
export interface AliasTarget {
    /** The load balancer's DNS name. */
    dnsName: pulumi.Input<string>;
    /** The load balancer's canonical hosted zone id (per region, AWS's). */
    zoneId: pulumi.Input<string>;
}

/**
 * The alias A record that points `domainName` at the load balancer. It never overwrites a record
 * already there: a name someone else serves makes the deployment fail instead of taking it over.
 */
export function aliasRecord(
    name: string,
    domainName: string,
    zoneId: pulumi.Input<string>,
    target: AliasTarget,
    parent: pulumi.Resource,
): aws.route53.Record {
    return new aws.route53.Record(
        `${name}-alias-a`,
        {
            zoneId,
            name: domainName,
            type: "A",
            aliases: [{ name: target.dnsName, zoneId: target.zoneId, evaluateTargetHealth: true }],
            allowOverwrite: false,
        },
        { parent },
    );
}
