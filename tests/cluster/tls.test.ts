/**
 * TLS by name under the offline mocks: a hosted zone (by id or by name) and a domainName give an
 * ACM certificate validated by DNS, an alias A record to the load balancer, an HTTPS listener on
 * 443 and an HTTP listener on 80 that only redirects; certificateArn gives the listeners alone (and
 * with a zone, the alias record). Exact inputs of every new resource, exact counts by type.
 *
 * What the provider does at deploy time, which the mocks cannot show (read in
 * hashicorp/terraform-provider-aws, which pulumi-aws 7.x wraps):
 * - internal/service/acm/certificate.go: `domain_name` and `validation_method` are ForceNew, so a
 *   new domainName replaces the certificate. Pulumi replaces create-before-delete by default (the
 *   `create_before_destroy` Terraform needs spelled out): the new certificate is requested and
 *   validated, the HTTPS listener is updated to its ARN (a listener's certificate is updatable in
 *   place, elbv2 ModifyListener), and only then is the old one deleted; its Delete retries
 *   `ResourceInUseException` for up to 20 minutes while the load balancer lets go of it. Create
 *   returns once ACM has assigned the validation records (up to 5 minutes), not once it is issued.
 * - internal/service/acm/certificate_validation.go: CertificateValidation is no AWS resource
 *   (Delete is a no-op); Create checks that `validation_record_fqdns` covers every validation
 *   record ACM asked for, then waits (75 minutes by default) until the certificate is ISSUED, and
 *   fails on FAILED or REVOKED with ACM's reason. The HTTPS listener takes the ARN from the
 *   validation's output, so it is created only after the issue: an ALB refuses a certificate ACM
 *   has not issued (UnsupportedCertificate).
 * - internal/service/route53/record.go and its docs: `allow_overwrite` (default false) sends
 *   CREATE, which Route 53 refuses when the record exists; true sends UPSERT. The validation CNAME
 *   (named after a token of the account and name) uses true, the alias A record false, so the
 *   cluster never takes over a name someone else serves. An alias record needs the target's DNS
 *   name and its canonical hosted zone (the ALB's `zoneId`) and `evaluate_target_health`.
 * - internal/service/route53/zone_data_source.go: by id, GetHostedZone; by name, ListHostedZones
 *   filtered by name and privacy (public unless `private_zone`), which must match exactly one zone.
 * - The redirect action (elbv2 RedirectActionConfig): `host`, `path` and `query` default to the
 *   request's own (`#{host}`, `/#{path}`, `#{query}`), so only protocol, port and status are set.
 * - internal/service/ec2/vpc_security_group_ingress_rule.go: only `security_group_id` (and a change
 *   of source kind) forces a replacement; a new port or description is ModifySecurityGroupRules in
 *   place. So turning TLS on in a deployed stack updates its listener rule from 8082 to 443 (it
 *   keeps its name, as the listener keeps `api-listener`) and creates the redirect rule on 80.
 */
import * as assert from "assert";
import { ApiCluster, ApiClusterArgs } from "../../components/apiCluster";
import { SettingsError } from "../../components/config/validate";
import { zoneProblems } from "../../components/domain";
import { STACK_TAG_KEY } from "../../components/stackTag";
import { OFFLINE_HOSTED_ZONES, OfflineAccount, RegisteredResource, invokeMocks, offlineZoneId } from "../../preview/mocks";
import { runUnderMocks } from "../../preview/runUnderMocks";
import { FIXED_WITH_AMI } from "../support/clusterCounts";
import { countByType, named, ofType } from "../support/resources";

const AMI_ID = "ami-0123456789abcdef0";
const CERTIFICATE_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const EXAMPLE_ZONE_ID = offlineZoneId("example.com");
const PRIVATE_ZONE_ID = offlineZoneId("internal.example.com", true);
/** The canonical hosted zone of application load balancers in us-east-1, as the mocks give it. */
const ALB_ZONE_ID = "Z35SXDOTRQ7X7K";

/** Builds one cluster (two instances, an AMI given) under the offline mocks. */
function build(args: ApiClusterArgs) {
    return runUnderMocks(() => {
        const cluster = new ApiCluster("api", { amiId: AMI_ID, ...args });
        return {
            url: cluster.url,
            loadBalancerArn: cluster.loadBalancerArn,
            loadBalancerDnsName: cluster.loadBalancerDnsName,
            targetGroupArn: cluster.targetGroupArn,
            albSecurityGroupId: cluster.albSecurityGroupId,
        };
    });
}

/** Counts of a two-instance cluster with an AMI given, plus `extra`. */
function countsWith(extra: Record<string, number>): Record<string, number> {
    const counts: Record<string, number> = {
        ...FIXED_WITH_AMI,
        "aws:ec2/instance:Instance": 2,
        "aws:lb/targetGroupAttachment:TargetGroupAttachment": 2,
    };
    for (const [type, count] of Object.entries(extra)) {
        counts[type] = (counts[type] ?? 0) + count;
    }
    return counts;
}

/** The load balancer's ingress rules as [name, port, CIDR, description], sorted by name (registration order varies). */
function loadBalancerIngress(resources: RegisteredResource[], groupId: string): [string, number, string, string][] {
    return ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        .filter((rule) => rule.inputs.securityGroupId === groupId)
        .map((rule) => {
            assert.strictEqual(rule.inputs.fromPort, rule.inputs.toPort, rule.name);
            assert.strictEqual(rule.inputs.ipProtocol, "tcp", rule.name);
            return [rule.name, rule.inputs.fromPort, rule.inputs.cidrIpv4, rule.inputs.description] as [string, number, string, string];
        })
        .sort(([a], [b]) => a.localeCompare(b));
}

/** The stack tag every taggable child carries in dev (components/stackTag.ts). */
const DEV_TAGS = { [STACK_TAG_KEY]: "dev" };

/** The expected HTTP listener on 80 that only redirects to HTTPS on 443, permanently. */
function redirectListenerInputs(loadBalancerArn: string) {
    return {
        loadBalancerArn,
        port: 80,
        protocol: "HTTP",
        defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
        tags: DEV_TAGS,
    };
}

/** Builds a cluster whose zone lookup must fail the deployment; returns the SettingsError. */
async function deploymentFailure(args: ApiClusterArgs): Promise<SettingsError> {
    const failure = await build(args).then(
        () => undefined,
        (err: unknown) => err,
    );
    assert.ok(failure instanceof SettingsError, `expected a SettingsError; got ${String(failure)}`);
    return failure;
}

describe("TLS by name", () => {
    describe("a hosted zone by name and a domain name", () => {
        let run: Awaited<ReturnType<typeof build>>;
        before(async () => {
            run = await build({ hostedZoneName: "example.com", domainName: "api.example.com" });
        });

        it("plans a certificate, its validation record and validation, an alias record, two listeners and two ingress rules more", () => {
            assert.deepStrictEqual(
                countByType(run.resources),
                countsWith({
                    "aws:acm/certificate:Certificate": 1,
                    "aws:acm/certificateValidation:CertificateValidation": 1,
                    "aws:route53/record:Record": 2,
                    "aws:lb/listener:Listener": 1,
                    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 1,
                }),
            );
        });

        it("requests the certificate for the domain name, validated by DNS", () => {
            assert.deepStrictEqual(named(run.resources, "api-certificate").inputs, {
                domainName: "api.example.com",
                validationMethod: "DNS",
                tags: DEV_TAGS,
            });
        });

        it("writes the one validation record ACM asks for in the zone, with a 60-second TTL, taking over the same record if it is there", () => {
            const certificate = named(run.resources, "api-certificate");
            const [option] = certificate.outputs.domainValidationOptions as Record<string, string>[];
            assert.strictEqual((certificate.outputs.domainValidationOptions as unknown[]).length, 1);
            assert.match(option.resourceRecordName, /^_[0-9a-f]{32}\.api\.example\.com\.$/);
            assert.deepStrictEqual(named(run.resources, "api-certificate-validation-record").inputs, {
                zoneId: EXAMPLE_ZONE_ID,
                name: option.resourceRecordName,
                type: "CNAME",
                records: [option.resourceRecordValue],
                ttl: 60,
                allowOverwrite: true,
            });
        });

        it("waits for the certificate's issue through that record", () => {
            const certificate = named(run.resources, "api-certificate");
            const record = named(run.resources, "api-certificate-validation-record");
            assert.deepStrictEqual(named(run.resources, "api-certificate-validation").inputs, {
                certificateArn: certificate.outputs.arn,
                validationRecordFqdns: [String(record.inputs.name).replace(/\.$/, "")],
            });
            assert.strictEqual(record.outputs.fqdn, String(record.inputs.name).replace(/\.$/, ""));
        });

        it("points the domain name at the load balancer with an alias A record that evaluates its health and never overwrites", () => {
            assert.deepStrictEqual(named(run.resources, "api-alias-a").inputs, {
                zoneId: EXAMPLE_ZONE_ID,
                name: "api.example.com",
                type: "A",
                aliases: [{ name: run.outputs.loadBalancerDnsName, zoneId: ALB_ZONE_ID, evaluateTargetHealth: true }],
                allowOverwrite: false,
            });
            assert.deepStrictEqual(
                ofType(run.resources, "aws:route53/record:Record").map((record) => record.inputs.type),
                ["CNAME", "A"],
                "no AAAA: the load balancer is IPv4 only",
            );
        });

        it("listens with HTTPS on 443 with the TLS 1.3 policy and the validated certificate, forwarding to the target group", () => {
            const certificate = named(run.resources, "api-certificate");
            const listener = named(run.resources, "api-listener");
            assert.deepStrictEqual(listener.inputs, {
                loadBalancerArn: run.outputs.loadBalancerArn,
                port: 443,
                protocol: "HTTPS",
                certificateArn: certificate.outputs.arn,
                sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
                defaultActions: [{ type: "forward", targetGroupArn: run.outputs.targetGroupArn }],
                tags: DEV_TAGS,
            });
            // The ARN comes from the validation, so the listener waits until ACM has issued the certificate.
            assert.deepStrictEqual(listener.propertyDependencies.certificateArn, [named(run.resources, "api-certificate-validation").urn]);
        });

        it("answers plain HTTP on 80 with a permanent redirect to HTTPS on 443 and nothing else", () => {
            assert.deepStrictEqual(named(run.resources, "api-http-redirect").inputs, redirectListenerInputs(run.outputs.loadBalancerArn));
            const plain = ofType(run.resources, "aws:lb/listener:Listener").filter((listener) => listener.inputs.protocol === "HTTP");
            assert.deepStrictEqual(
                plain.map((listener) => listener.inputs.defaultActions.map((action: { type: string }) => action.type)),
                [["redirect"]],
            );
        });

        it("admits 443 and 80 from the allowed CIDRs, and 8082 no more", () => {
            assert.deepStrictEqual(loadBalancerIngress(run.resources, run.outputs.albSecurityGroupId), [
                ["api-alb-ingress-0-0-0-0-0", 443, "0.0.0.0/0", "HTTPS listener from 0.0.0.0/0"],
                ["api-alb-ingress-redirect-0-0-0-0-0", 80, "0.0.0.0/0", "HTTP redirect listener from 0.0.0.0/0"],
            ]);
        });

        it("gives the domain name's HTTPS address as the url, with no port", () => {
            assert.strictEqual(run.outputs.url, "https://api.example.com");
        });
    });

    describe("a hosted zone by id", () => {
        it("looks the zone up by id and writes both records into it", async () => {
            const { resources } = await build({ hostedZoneId: EXAMPLE_ZONE_ID, domainName: "api.example.com" });
            assert.deepStrictEqual(
                ofType(resources, "aws:route53/record:Record").map((record) => [record.name, record.inputs.zoneId]),
                [
                    ["api-certificate-validation-record", EXAMPLE_ZONE_ID],
                    ["api-alias-a", EXAMPLE_ZONE_ID],
                ],
            );
            assert.deepStrictEqual(named(resources, "api-certificate").inputs, {
                domainName: "api.example.com",
                validationMethod: "DNS",
                tags: DEV_TAGS,
            });
        });

        it("fails the deployment when the zone does not hold the domain name", async () => {
            const failure = await deploymentFailure({ hostedZoneId: EXAMPLE_ZONE_ID, domainName: "api.example.org" });
            assert.deepStrictEqual(failure.problems, [
                `domainName must be in the hosted zone example.com (hostedZoneId ${EXAMPLE_ZONE_ID}); got "api.example.org"`,
            ]);
        });

        it("fails the deployment when the zone is private", async () => {
            const failure = await deploymentFailure({ hostedZoneId: PRIVATE_ZONE_ID, domainName: "api.internal.example.com" });
            assert.deepStrictEqual(failure.problems, [
                `hostedZoneId ${PRIVATE_ZONE_ID} is a private hosted zone; give a public one: ACM validates the certificate through public DNS, and clients must resolve the name`,
            ]);
        });
    });

    describe("the zone checks", () => {
        const settings = { hostedZoneId: undefined, hostedZoneName: "example.com", domainName: "api.example.com" };

        it("pass a public zone that holds the name, itself or below it", () => {
            assert.deepStrictEqual(zoneProblems({ zoneId: EXAMPLE_ZONE_ID, name: "example.com", privateZone: false }, settings), []);
            assert.deepStrictEqual(
                zoneProblems({ zoneId: EXAMPLE_ZONE_ID, name: "example.com" }, { ...settings, domainName: "example.com" }),
                [],
            );
        });

        it("refuse a zone whose name is only a suffix of the domain name's last label", () => {
            assert.deepStrictEqual(
                zoneProblems({ zoneId: EXAMPLE_ZONE_ID, name: "example.com" }, { ...settings, domainName: "myexample.com" }),
                ['domainName must be in the hosted zone example.com (hostedZoneName example.com); got "myexample.com"'],
            );
        });
    });

    describe("the offline zone lookup", () => {
        const lookup = (inputs: Record<string, unknown>) => invokeMocks["aws:route53/getZone:getZone"](inputs, new OfflineAccount());

        it("holds the public example.com (prod's zone id) and a private zone", () => {
            assert.deepStrictEqual(
                OFFLINE_HOSTED_ZONES.map((zone) => [zone.id, zone.name, zone.privateZone]),
                [
                    ["Z2679CB0E4B292D5322E8", "example.com", false],
                    [PRIVATE_ZONE_ID, "internal.example.com", true],
                ],
            );
        });

        it("finds a zone by id, and fails naming the id and the known zones for an id it lacks", () => {
            const found = lookup({ zoneId: EXAMPLE_ZONE_ID });
            assert.deepStrictEqual(
                [found.zoneId, found.name, found.privateZone, found.arn],
                [EXAMPLE_ZONE_ID, "example.com", false, `arn:aws:route53:::hostedzone/${EXAMPLE_ZONE_ID}`],
            );
            assert.throws(
                () => lookup({ zoneId: "Z0000000000000000000" }),
                /^Error: offline mocks: no hosted zone Z0000000000000000000 in the fake account \(NoSuchHostedZone\); it holds Z2679CB0E4B292D5322E8 \(example\.com\), .*; add yours to OFFLINE_HOSTED_ZONES in preview\/mocks\/tls\.ts$/,
            );
        });

        it("finds a public zone by name, answers one it lacks with an id derived from the name, and refuses both id and name", () => {
            assert.strictEqual(lookup({ name: "example.com", privateZone: false }).zoneId, EXAMPLE_ZONE_ID);
            const adopted = lookup({ name: "corp.example.net", privateZone: false });
            assert.deepStrictEqual([adopted.zoneId, adopted.name], [offlineZoneId("corp.example.net"), "corp.example.net"]);
            assert.strictEqual(lookup({ name: "corp.example.net" }).zoneId, adopted.zoneId);
            assert.strictEqual(OFFLINE_HOSTED_ZONES.length, 2, "a lookup adds no zone");
            assert.throws(() => lookup({ name: "example.com", zoneId: EXAMPLE_ZONE_ID }), /takes "zoneId" or "name", not both/);
            assert.throws(
                () => lookup({ name: "nowhere.example.org", privateZone: true }),
                /no private hosted zone named nowhere\.example\.org/,
            );
        });
    });

    describe("a certificate made elsewhere", () => {
        it("with a zone: requests no certificate, adds the alias record, and listens with HTTPS on 443 with that certificate", async () => {
            const { resources, outputs } = await build({
                certificateArn: CERTIFICATE_ARN,
                hostedZoneName: "example.com",
                domainName: "api.example.com",
            });
            assert.deepStrictEqual(
                countByType(resources),
                countsWith({
                    "aws:route53/record:Record": 1,
                    "aws:lb/listener:Listener": 1,
                    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 1,
                }),
            );
            assert.strictEqual(named(resources, "api-alias-a").inputs.name, "api.example.com");
            assert.strictEqual(named(resources, "api-listener").inputs.certificateArn, CERTIFICATE_ARN);
            assert.strictEqual(outputs.url, "https://api.example.com");
        });

        it("alone: listens with HTTPS on 443 and redirects 80, with no record, and the load balancer's name in the url", async () => {
            const { resources, outputs } = await build({ certificateArn: CERTIFICATE_ARN });
            assert.deepStrictEqual(
                countByType(resources),
                countsWith({ "aws:lb/listener:Listener": 1, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 1 }),
            );
            assert.deepStrictEqual(named(resources, "api-listener").inputs, {
                loadBalancerArn: outputs.loadBalancerArn,
                port: 443,
                protocol: "HTTPS",
                certificateArn: CERTIFICATE_ARN,
                sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
                defaultActions: [{ type: "forward", targetGroupArn: outputs.targetGroupArn }],
                tags: DEV_TAGS,
            });
            assert.deepStrictEqual(named(resources, "api-http-redirect").inputs, redirectListenerInputs(outputs.loadBalancerArn));
            assert.strictEqual(outputs.url, `https://${outputs.loadBalancerDnsName}`);
        });
    });

    describe("without TLS", () => {
        it("keeps the lesson's one plain HTTP listener on port, its one rule per CIDR, and no DNS or certificate", async () => {
            const { resources, outputs } = await build({ port: 9090, allowedCidrs: ["203.0.113.0/24", "198.51.100.0/24"] });
            assert.deepStrictEqual(countByType(resources), countsWith({ "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 1 }));
            assert.deepStrictEqual(named(resources, "api-listener").inputs, {
                loadBalancerArn: outputs.loadBalancerArn,
                port: 9090,
                protocol: "HTTP",
                defaultActions: [{ type: "forward", targetGroupArn: outputs.targetGroupArn }],
                tags: DEV_TAGS,
            });
            assert.deepStrictEqual(loadBalancerIngress(resources, outputs.albSecurityGroupId), [
                ["api-alb-ingress-198-51-100-0-24", 9090, "198.51.100.0/24", "Listener from 198.51.100.0/24"],
                ["api-alb-ingress-203-0-113-0-24", 9090, "203.0.113.0/24", "Listener from 203.0.113.0/24"],
            ]);
            assert.strictEqual(outputs.url, `http://${outputs.loadBalancerDnsName}:9090`);
        });
    });

    describe("with TLS and two allowed CIDRs", () => {
        it("admits 443 and 80 from each, one rule per port and CIDR", async () => {
            const { resources, outputs } = await build({
                hostedZoneName: "example.com",
                domainName: "api.example.com",
                allowedCidrs: ["203.0.113.0/24", "198.51.100.0/24"],
            });
            assert.deepStrictEqual(loadBalancerIngress(resources, outputs.albSecurityGroupId), [
                ["api-alb-ingress-198-51-100-0-24", 443, "198.51.100.0/24", "HTTPS listener from 198.51.100.0/24"],
                ["api-alb-ingress-203-0-113-0-24", 443, "203.0.113.0/24", "HTTPS listener from 203.0.113.0/24"],
                ["api-alb-ingress-redirect-198-51-100-0-24", 80, "198.51.100.0/24", "HTTP redirect listener from 198.51.100.0/24"],
                ["api-alb-ingress-redirect-203-0-113-0-24", 80, "203.0.113.0/24", "HTTP redirect listener from 203.0.113.0/24"],
            ]);
        });
    });

    describe("refused before anything is registered", () => {
        it("a zone without a domain name, and a port moved with TLS", async () => {
            let error: unknown;
            const { resources } = await runUnderMocks(() => {
                try {
                    new ApiCluster("api", { amiId: AMI_ID, hostedZoneName: "example.com", port: 443 });
                } catch (err) {
                    error = err;
                }
                return {};
            });
            assert.ok(error instanceof SettingsError);
            assert.deepStrictEqual(error.problems, [
                "ApiClusterArgs.domainName is required with hostedZoneName: it names the certificate and the alias record; got nothing",
                "ApiClusterArgs.port must stay 8082 with TLS (certificateArn, hostedZoneId or hostedZoneName): the load balancer then listens on 443 for HTTPS and on 80 only to redirect to it; set appPort for the API's port inside the instances; got 443",
            ]);
            assert.deepStrictEqual(
                resources.map((resource) => resource.type),
                ["pulumi:pulumi:Stack"],
            );
        });
    });
});
