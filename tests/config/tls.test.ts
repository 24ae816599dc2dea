/**
 * The TLS settings: a hosted zone by id or by name (exactly one), the domainName it needs and must
 * hold, and `port`, which stays 8082 with TLS because the listeners are then 443 and 80. Each rule
 * from both sides, with the one-line message the user reads.
 */
import * as assert from "assert";
import { readStackSettings } from "../../components/config/stackConfig";
import { problemsOf } from "../support/configProblems";

const CERTIFICATE_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const ZONE_ID = "Z2679CB0E4B292D5322E8";

describe("TLS settings", () => {
    it("take a hosted zone by id with a domain name", () => {
        assert.deepStrictEqual(problemsOf({ hostedZoneId: ZONE_ID, domainName: "api.example.com" }), []);
        const { settings } = readStackSettings({ "api-cluster:hostedZoneId": ZONE_ID, "api-cluster:domainName": "api.example.com" });
        assert.strictEqual(settings.hostedZoneId, ZONE_ID);
        assert.strictEqual(settings.hostedZoneName, undefined);
    });

    it("take a hosted zone by name with a domain name in it, or the zone's own name", () => {
        for (const domainName of ["api.example.com", "a.b.example.com", "example.com"]) {
            assert.deepStrictEqual(problemsOf({ hostedZoneName: "example.com", domainName }), [], domainName);
        }
    });

    it("refuse a hosted zone id that is not one, naming the form", () => {
        for (const bad of [
            "/hostedzone/Z2679CB0E4B292D5322E8",
            "z2679cb0e4b292d5322e8",
            "Z",
            "A2679CB0E4B292D5322E8",
            `Z${"A".repeat(32)}`,
        ]) {
            assert.deepStrictEqual(
                problemsOf({ hostedZoneId: bad, domainName: "api.example.com" }),
                [`api-cluster:hostedZoneId must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ; got ${JSON.stringify(bad)}`],
                bad,
            );
        }
        assert.deepStrictEqual(problemsOf({ hostedZoneId: `Z${"A".repeat(31)}`, domainName: "api.example.com" }), []);
    });

    it("refuse a hosted zone name that is no DNS name", () => {
        assert.deepStrictEqual(problemsOf({ hostedZoneName: "example.com.", domainName: "api.example.com" }), [
            'api-cluster:hostedZoneName must be a DNS name such as api.example.com: lowercase letters, digits and inner hyphens in dot-separated labels; got "example.com."',
        ]);
    });

    it("refuse a zone given both by id and by name", () => {
        assert.deepStrictEqual(problemsOf({ hostedZoneId: ZONE_ID, hostedZoneName: "example.com", domainName: "api.example.com" }), [
            `api-cluster:hostedZoneName must not be given with hostedZoneId: name the zone one way, by id or by name; got "example.com" and "${ZONE_ID}"`,
        ]);
    });

    it("refuse a zone without a domain name, naming the zone key given", () => {
        assert.deepStrictEqual(problemsOf({ hostedZoneId: ZONE_ID }), [
            "api-cluster:domainName is required with hostedZoneId: it names the certificate and the alias record; got nothing",
        ]);
        assert.deepStrictEqual(problemsOf({ hostedZoneName: "example.com" }), [
            "api-cluster:domainName is required with hostedZoneName: it names the certificate and the alias record; got nothing",
        ]);
    });

    it("refuse a domain name outside the zone named by name, a suffix that is no label included", () => {
        for (const domainName of ["api.example.org", "apiexample.com", "example.com.evil.net"]) {
            assert.deepStrictEqual(
                problemsOf({ hostedZoneName: "example.com", domainName }),
                [
                    `api-cluster:domainName must be in hostedZoneName example.com: that name or one ending in .example.com; got ${JSON.stringify(domainName)}`,
                ],
                domainName,
            );
        }
    });

    it("take a certificate made elsewhere together with a zone: the zone then only holds the alias record", () => {
        assert.deepStrictEqual(
            problemsOf({ certificateArn: CERTIFICATE_ARN, hostedZoneName: "example.com", domainName: "api.example.com" }),
            [],
        );
    });

    it("keep port at 8082 with TLS, and refuse any other port then, by certificate or by zone", () => {
        const moved = (port: number) =>
            `api-cluster:port must stay 8082 with TLS (certificateArn, hostedZoneId or hostedZoneName): the load balancer then listens on 443 for HTTPS and on 80 only to redirect to it; set appPort for the API's port inside the instances; got ${port}`;
        assert.deepStrictEqual(problemsOf({ certificateArn: CERTIFICATE_ARN, port: "8082", appPort: "9000" }), []);
        assert.deepStrictEqual(problemsOf({ certificateArn: CERTIFICATE_ARN, port: "443" }), [moved(443)]);
        assert.deepStrictEqual(problemsOf({ hostedZoneId: ZONE_ID, domainName: "api.example.com", port: "8443" }), [moved(8443)]);
        // Without TLS, port is the plain listener's, free to move.
        assert.deepStrictEqual(problemsOf({ port: "443" }), []);
    });

    it("list every TLS problem at once", () => {
        assert.deepStrictEqual(problemsOf({ hostedZoneId: ZONE_ID, hostedZoneName: "example.com", port: "443" }), [
            `api-cluster:hostedZoneName must not be given with hostedZoneId: name the zone one way, by id or by name; got "example.com" and "${ZONE_ID}"`,
            "api-cluster:domainName is required with hostedZoneId: it names the certificate and the alias record; got nothing",
            "api-cluster:port must stay 8082 with TLS (certificateArn, hostedZoneId or hostedZoneName): the load balancer then listens on 443 for HTTPS and on 80 only to redirect to it; set appPort for the API's port inside the instances; got 443",
        ]);
    });
});
