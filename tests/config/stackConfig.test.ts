import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { readStackSettings } from "../../components/config/stackConfig";
import { problemsOf } from "../support/configProblems";
import { FleetMode } from "../../components/config/schema";
import { SettingsError } from "../../components/config/validate";

describe("stack config", () => {
    it("applies every documented default when the stack sets nothing", () => {
        const { settings, adminPassword } = readStackSettings({});
        assert.deepStrictEqual(settings, {
            instanceCount: 2,
            instanceType: "t3.micro",
            port: 8082,
            appPort: 8082,
            healthCheck: {
                path: "/health",
                intervalSeconds: 10,
                timeoutSeconds: 5,
                healthyThreshold: 2,
                unhealthyThreshold: 2,
                matcher: "200",
            },
            stickiness: { enabled: false, type: "lb_cookie", cookieName: undefined, durationSeconds: 86400 },
            deregistrationDelaySeconds: 30,
            allowedCidrs: ["0.0.0.0/0"],
            availabilityZoneCount: 2,
            availabilityZones: undefined,
            network: "default-vpc",
            vpcCidr: "10.0.0.0/16",
            deletionProtection: false,
            sshCidrs: [],
            keyName: undefined,
            adminUsername: "admin@fake.com",
            amiId: undefined,
            certificateArn: undefined,
            imageRetentionCount: 3,
            existingNetwork: undefined,
            app: {
                source: "maven",
                path: "app",
                javaVersion: 17,
                jvmOptions: [],
                mainClass: undefined,
                instanceEndpoint: "/api/instance",
                protectedEndpoint: "/api/instance",
                sessionEndpoint: "/api/session/counter",
            },
            sessionManager: true,
            domainName: undefined,
            hostedZoneId: undefined,
            hostedZoneName: undefined,
            fleet: "instances",
            minInstanceCount: 2,
            maxInstanceCount: 4,
            targetRequestsPerMinute: 1000,
            healthCheckGracePeriodSeconds: 300,
            instanceWarmupSeconds: 180,
            permissionsBoundaryArn: undefined,
            alarms: true,
            alarmEmails: [],
            alarmEvaluationMinutes: 3,
            alarmServerErrorPercent: 5,
            alarmLatencyP99Milliseconds: 1000,
            accessLogs: true,
            accessLogRetentionDays: 30,
        });
        assert.strictEqual(adminPassword, undefined);
    });

    it("parses integers, booleans, lists and objects from the strings the CLI passes", () => {
        const { settings } = readStackSettings({
            "api-cluster:instanceCount": "5",
            "api-cluster:appPort": "8080",
            "api-cluster:deletionProtection": "true",
            "api-cluster:allowedCidrs": '["10.0.0.0/8","192.168.1.0/24"]',
            "api-cluster:healthCheck": '{"path":"/actuator/health","intervalSeconds":30}',
            "api-cluster:stickiness": '{"enabled":true,"type":"app_cookie","cookieName":"API_SESSION"}',
        });
        assert.strictEqual(settings.instanceCount, 5);
        assert.strictEqual(settings.port, 8082);
        assert.strictEqual(settings.appPort, 8080);
        assert.strictEqual(settings.deletionProtection, true);
        assert.deepStrictEqual(settings.allowedCidrs, ["10.0.0.0/8", "192.168.1.0/24"]);
        assert.deepStrictEqual(settings.healthCheck, {
            path: "/actuator/health",
            intervalSeconds: 30,
            timeoutSeconds: 5,
            healthyThreshold: 2,
            unhealthyThreshold: 2,
            matcher: "200",
        });
        assert.deepStrictEqual(settings.stickiness, {
            enabled: true,
            type: "app_cookie",
            cookieName: "API_SESSION",
            durationSeconds: 86400,
        });
    });

    it("defaults appPort to the listener port", () => {
        assert.strictEqual(readStackSettings({ "api-cluster:port": "80" }).settings.appPort, 80);
    });

    describe("integer bounds: the bound passes, one past it fails with the key, the range and the value", () => {
        const topLevel: [string, number, number][] = [
            ["instanceCount", 1, 100],
            ["port", 1, 65535],
            ["appPort", 1, 65535],
            ["deregistrationDelaySeconds", 0, 3600],
            ["availabilityZoneCount", 2, 6],
            ["imageRetentionCount", 1, 50],
            ["targetRequestsPerMinute", 1, 1000000],
            ["healthCheckGracePeriodSeconds", 0, 7200],
            ["instanceWarmupSeconds", 0, 3600],
        ];
        for (const [key, min, max] of topLevel) {
            it(`${key} accepts ${min} and ${max}, rejects ${min - 1} and ${max + 1}`, () => {
                assert.deepStrictEqual(problemsOf({ [key]: String(min) }), []);
                assert.deepStrictEqual(problemsOf({ [key]: String(max) }), []);
                for (const bad of [min - 1, max + 1]) {
                    assert.deepStrictEqual(problemsOf({ [key]: String(bad) }), [
                        `api-cluster:${key} must be an integer from ${min} to ${max}; got "${bad}"`,
                    ]);
                }
            });
        }
        it("rejects a non-integer with the value as written", () => {
            assert.deepStrictEqual(problemsOf({ instanceCount: "two" }), [
                'api-cluster:instanceCount must be an integer from 1 to 100; got "two"',
            ]);
            assert.deepStrictEqual(problemsOf({ port: "80.5" }), ['api-cluster:port must be an integer from 1 to 65535; got "80.5"']);
        });

        const healthFields: [string, number, number, Record<string, number>][] = [
            ["intervalSeconds", 5, 300, { timeoutSeconds: 2 }],
            ["timeoutSeconds", 2, 120, { intervalSeconds: 300 }],
            ["healthyThreshold", 2, 10, {}],
            ["unhealthyThreshold", 2, 10, {}],
        ];
        for (const [field, min, max, others] of healthFields) {
            it(`healthCheck.${field} accepts ${min} and ${max}, rejects ${min - 1} and ${max + 1}`, () => {
                const check = (value: number) => problemsOf({ healthCheck: JSON.stringify({ ...others, [field]: value }) });
                assert.deepStrictEqual(check(min), []);
                assert.deepStrictEqual(check(max), []);
                for (const bad of [min - 1, max + 1]) {
                    assert.deepStrictEqual(check(bad), [
                        `api-cluster:healthCheck.${field} must be an integer from ${min} to ${max}; got ${bad}`,
                    ]);
                }
            });
        }

        it("stickiness.durationSeconds accepts 1 and 604800, rejects 0 and 604801", () => {
            const check = (value: number) => problemsOf({ stickiness: JSON.stringify({ enabled: true, durationSeconds: value }) });
            assert.deepStrictEqual(check(1), []);
            assert.deepStrictEqual(check(604800), []);
            for (const bad of [0, 604801]) {
                assert.deepStrictEqual(check(bad), [
                    `api-cluster:stickiness.durationSeconds must be an integer from 1 to 604800; got ${bad}`,
                ]);
            }
        });
    });

    describe("health check", () => {
        it("requires the timeout to be below the interval", () => {
            assert.deepStrictEqual(problemsOf({ healthCheck: '{"intervalSeconds":10,"timeoutSeconds":9}' }), []);
            assert.deepStrictEqual(problemsOf({ healthCheck: '{"intervalSeconds":10,"timeoutSeconds":10}' }), [
                "api-cluster:healthCheck.timeoutSeconds must be below healthCheck.intervalSeconds (10); got 10",
            ]);
        });

        it("requires a path that starts with /", () => {
            assert.deepStrictEqual(problemsOf({ healthCheck: '{"path":"/"}' }), []);
            assert.deepStrictEqual(problemsOf({ healthCheck: '{"path":"health"}' }), [
                'api-cluster:healthCheck.path must be a path that starts with / such as /health; got "health"',
            ]);
        });

        it("accepts matchers within 200 to 499 and rejects the rest", () => {
            for (const good of ["200", "200-299", "200,204", "499", "200-499"]) {
                assert.deepStrictEqual(problemsOf({ healthCheck: JSON.stringify({ matcher: good }) }), [], good);
            }
            for (const bad of ["199", "500", "200-500", "299-200", "ok", "200,", ""]) {
                assert.deepStrictEqual(problemsOf({ healthCheck: JSON.stringify({ matcher: bad }) }), [
                    `api-cluster:healthCheck.matcher must be HTTP codes from 200 to 499 such as "200", "200-299" or "200,204"; got ${JSON.stringify(bad)}`,
                ]);
            }
        });

        it("names an unknown field and suggests the closest", () => {
            assert.deepStrictEqual(problemsOf({ healthCheck: '{"pth":"/health"}' }), [
                "api-cluster:healthCheck.pth is not a known key; did you mean path?",
            ]);
        });

        it("rejects a value that is not an object", () => {
            assert.deepStrictEqual(problemsOf({ healthCheck: "/health" }), [
                'api-cluster:healthCheck must be an object with fields path, intervalSeconds, timeoutSeconds, healthyThreshold, unhealthyThreshold, matcher; got "/health"',
            ]);
        });
    });

    describe("stickiness", () => {
        it("accepts lb_cookie and app_cookie, rejects other types", () => {
            assert.deepStrictEqual(problemsOf({ stickiness: '{"enabled":true,"type":"lb_cookie"}' }), []);
            assert.deepStrictEqual(problemsOf({ stickiness: '{"enabled":true,"type":"app_cookie","cookieName":"SESSION"}' }), []);
            assert.deepStrictEqual(problemsOf({ stickiness: '{"enabled":true,"type":"source_ip"}' }), [
                'api-cluster:stickiness.type must be one of lb_cookie, app_cookie; got "source_ip"',
            ]);
        });

        it("requires a cookie name for app_cookie", () => {
            assert.deepStrictEqual(problemsOf({ stickiness: '{"enabled":true,"type":"app_cookie"}' }), [
                "api-cluster:stickiness.cookieName is required when stickiness.type is app_cookie; got nothing",
            ]);
        });

        it("rejects a cookie name with lb_cookie, where AWS would ignore it", () => {
            assert.deepStrictEqual(problemsOf({ stickiness: '{"type":"lb_cookie","cookieName":"SESSION"}' }), [
                'api-cluster:stickiness.cookieName is only used with stickiness.type app_cookie; got "SESSION" with lb_cookie',
            ]);
        });

        it("rejects cookie names AWS reserves", () => {
            for (const reserved of ["AWSALB", "AWSALBAPP-1", "AWSALBTG", "awsalbcors"]) {
                assert.deepStrictEqual(problemsOf({ stickiness: JSON.stringify({ type: "app_cookie", cookieName: reserved }) }), [
                    `api-cluster:stickiness.cookieName must not start with AWSALB, AWSALBAPP, AWSALBTG, which AWS reserves; got ${JSON.stringify(reserved)}`,
                ]);
            }
            assert.deepStrictEqual(problemsOf({ stickiness: '{"type":"app_cookie","cookieName":"MYAWSALB"}' }), []);
        });

        it("rejects enabled values that are not booleans", () => {
            assert.deepStrictEqual(problemsOf({ stickiness: '{"enabled":"yes"}' }), [
                'api-cluster:stickiness.enabled must be true or false; got "yes"',
            ]);
        });
    });

    describe("strings, lists and CIDRs", () => {
        it("accepts EC2 instance types and rejects other strings", () => {
            for (const good of ["t3.micro", "m7i.large", "m7i-flex.large", "c6gn.16xlarge", "u-6tb1.metal"]) {
                assert.deepStrictEqual(problemsOf({ instanceType: good }), [], good);
            }
            assert.deepStrictEqual(problemsOf({ instanceType: "micro" }), [
                'api-cluster:instanceType must be an EC2 instance type such as t3.micro or m7i.large; got "micro"',
            ]);
        });

        it("checks every allowed CIDR and names the bad one by index", () => {
            assert.deepStrictEqual(problemsOf({ allowedCidrs: '["203.0.113.0/24","198.51.100.0/24"]' }), []);
            assert.deepStrictEqual(problemsOf({ allowedCidrs: '["203.0.113.0/24","10.0.0.300/8","10.1.2.3/16"]' }), [
                'api-cluster:allowedCidrs[1] must be an IPv4 CIDR block such as 203.0.113.0/24; got "10.0.0.300/8"',
                'api-cluster:allowedCidrs[2] must be an IPv4 CIDR block such as 203.0.113.0/24 with its host bits zero (did you mean 10.1.0.0/16?); got "10.1.2.3/16"',
            ]);
            assert.deepStrictEqual(problemsOf({ allowedCidrs: "0.0.0.0/0" }), [
                'api-cluster:allowedCidrs must be a list of strings; got "0.0.0.0/0"',
            ]);
        });

        it("takes an IAM managed policy ARN as the permissions boundary, and refuses anything else", () => {
            assert.deepStrictEqual(
                problemsOf({ permissionsBoundaryArn: "arn:aws:iam::123456789012:policy/api-cluster-prod-boundary" }),
                [],
            );
            assert.deepStrictEqual(problemsOf({ permissionsBoundaryArn: "arn:aws:iam::123456789012:role/api-cluster-prod-boundary" }), [
                'api-cluster:permissionsBoundaryArn must be an IAM managed policy ARN such as arn:aws:iam::123456789012:policy/api-cluster-prod-boundary; got "arn:aws:iam::123456789012:role/api-cluster-prod-boundary"',
            ]);
        });

        it("keeps the dedicated VPC between /16 and /23, so every subnet is at least the /27 a load balancer needs", () => {
            assert.deepStrictEqual(problemsOf({ vpcCidr: "10.0.0.0/16" }), []);
            assert.deepStrictEqual(problemsOf({ vpcCidr: "10.0.0.0/23" }), []);
            assert.deepStrictEqual(problemsOf({ vpcCidr: "10.0.0.0/15" }), [
                'api-cluster:vpcCidr must be an IPv4 CIDR block from /16 to /23, such as 10.0.0.0/16; got "10.0.0.0/15"',
            ]);
            for (const [bad, subnets] of [
                ["10.0.0.0/24", 28],
                ["10.0.0.0/25", 29],
            ] as const) {
                assert.deepStrictEqual(problemsOf({ vpcCidr: bad }), [
                    `api-cluster:vpcCidr must be an IPv4 CIDR block from /16 to /23, such as 10.0.0.0/16: each zone gets an eighth of the block, halved into two subnets, and a load balancer subnet needs at least a /27 (a ${bad.slice(-3)} would give /${subnets} subnets); got ${JSON.stringify(bad)}`,
                ]);
            }
        });

        describe("SSH judged by the addresses its blocks cover together", () => {
            const WHOLE = (got: string) =>
                `api-cluster:sshCidrs must not cover the whole internet, in one block or split into several; got ${got}`;
            const WIDE = (got: string, count: number, from: string, to: string) =>
                `api-cluster:sshCidrs must cover no public address range wider than a /16 (65536 addresses) together; got ${got}, ` +
                `which covers the ${count} public addresses ${from} to ${to}`;

            it("never opens SSH to the whole internet, in one block or split", () => {
                assert.deepStrictEqual(problemsOf({ sshCidrs: '["0.0.0.0/0"]' }), [WHOLE('["0.0.0.0/0"]')]);
                assert.deepStrictEqual(problemsOf({ sshCidrs: '["0.0.0.0/1","128.0.0.0/1"]' }), [WHOLE('["0.0.0.0/1","128.0.0.0/1"]')]);
                // The whole internet less the ranges no internet client has is still the whole internet.
                assert.deepStrictEqual(problemsOf({ sshCidrs: '["0.0.0.0/2","64.0.0.0/2","128.0.0.0/1"]' }), [
                    WHOLE('["0.0.0.0/2","64.0.0.0/2","128.0.0.0/1"]'),
                ]);
            });

            it("allows a /16 of public addresses, and refuses a /15 or two adjacent /16s", () => {
                assert.deepStrictEqual(problemsOf({ sshCidrs: '["198.51.0.0/16"]' }), []);
                assert.deepStrictEqual(problemsOf({ sshCidrs: '["198.50.0.0/15"]' }), [
                    WIDE('["198.50.0.0/15"]', 131072, "198.50.0.0", "198.51.255.255"),
                ]);
                assert.deepStrictEqual(problemsOf({ sshCidrs: '["198.50.0.0/16","198.51.0.0/16"]' }), [
                    WIDE('["198.50.0.0/16","198.51.0.0/16"]', 131072, "198.50.0.0", "198.51.255.255"),
                ]);
                // Two /16s that do not touch are two runs of 65,536 addresses each.
                assert.deepStrictEqual(problemsOf({ sshCidrs: '["198.50.0.0/16","203.0.0.0/16"]' }), []);
            });

            it("counts only public addresses: 10.0.0.0/8 passes, and a /9 that is mostly public does not", () => {
                assert.deepStrictEqual(problemsOf({ sshCidrs: '["10.0.0.0/8"]' }), []);
                assert.deepStrictEqual(problemsOf({ sshCidrs: '["10.0.0.0/8","172.16.0.0/12","192.168.0.0/16"]' }), []);
                // 100.0.0.0/9 holds 100.64.0.0/10 (carrier-grade NAT), leaving the public 100.0.0.0 to 100.63.255.255.
                assert.deepStrictEqual(problemsOf({ sshCidrs: '["100.0.0.0/9"]' }), [
                    WIDE('["100.0.0.0/9"]', 4194304, "100.0.0.0", "100.63.255.255"),
                ]);
            });
        });

        it("refuses a CIDR block that repeats an earlier one in the same list, naming the key and both indexes", () => {
            assert.deepStrictEqual(
                problemsOf({
                    allowedCidrs: '["203.0.113.0/24","198.51.100.0/24","203.0.113.0/24","198.51.100.0/24","203.0.113.0/24"]',
                    sshCidrs: '["198.51.100.7/32","010.0.0.0/8","10.0.0.0/8"]',
                }),
                [
                    'api-cluster:allowedCidrs[2] repeats allowedCidrs[0]; each CIDR block may appear once; got "203.0.113.0/24"',
                    'api-cluster:allowedCidrs[3] repeats allowedCidrs[1]; each CIDR block may appear once; got "198.51.100.0/24"',
                    'api-cluster:allowedCidrs[4] repeats allowedCidrs[0]; each CIDR block may appear once; got "203.0.113.0/24"',
                    'api-cluster:sshCidrs[2] repeats sshCidrs[1]; each CIDR block may appear once; got "10.0.0.0/8"',
                ],
            );
            assert.deepStrictEqual(problemsOf({ allowedCidrs: '["203.0.113.0/24"]', sshCidrs: '["203.0.113.0/24"]' }), []);
        });

        it("refuses a block inside a wider one of the same list, naming both, and passes disjoint neighbours", () => {
            assert.deepStrictEqual(problemsOf({ allowedCidrs: '["203.0.113.0/25","203.0.113.128/25"]' }), []);
            assert.deepStrictEqual(problemsOf({ allowedCidrs: '["203.0.113.0/24","203.0.113.128/25"]' }), [
                'api-cluster:allowedCidrs[1] lies within allowedCidrs[0] (203.0.113.0/24), which already allows every address of it; list each address once; got "203.0.113.128/25"',
            ]);
            // The order does not matter: the narrower block is the one refused.
            assert.deepStrictEqual(problemsOf({ allowedCidrs: '["203.0.113.7/32","0.0.0.0/0"]' }), [
                'api-cluster:allowedCidrs[0] lies within allowedCidrs[1] (0.0.0.0/0), which already allows every address of it; list each address once; got "203.0.113.7/32"',
            ]);
            assert.deepStrictEqual(problemsOf({ sshCidrs: '["10.0.0.0/8","10.1.0.0/16"]' }), [
                'api-cluster:sshCidrs[1] lies within sshCidrs[0] (10.0.0.0/8), which already allows every address of it; list each address once; got "10.1.0.0/16"',
            ]);
        });

        it("refuses sshCidrs with a dedicated VPC, whose instances no SSH client can reach, and points to Session Manager", () => {
            assert.deepStrictEqual(problemsOf({ network: "dedicated", sshCidrs: '["198.51.100.7/32"]' }), [
                "api-cluster:sshCidrs must be empty with network dedicated: the instances sit in private subnets with no public address, " +
                    "so no SSH client can reach them; reach an instance through a Session Manager port forward instead " +
                    '(sessionManager, on by default; see docs/deploying.md); got ["198.51.100.7/32"]',
            ]);
            assert.deepStrictEqual(problemsOf({ network: "dedicated", sshCidrs: "[]" }), []);
            assert.deepStrictEqual(problemsOf({ network: "default-vpc", sshCidrs: '["198.51.100.7/32"]' }), []);
        });

        it("takes a DNS name for the url and refuses anything else", () => {
            for (const good of ["api.example.com", "a.b", "x-1.example-2.co.uk", `${"a".repeat(63)}.example.com`]) {
                assert.deepStrictEqual(problemsOf({ domainName: good }), [], good);
            }
            const allowed =
                "must be a DNS name such as api.example.com: lowercase letters, digits and inner hyphens in dot-separated labels";
            for (const bad of [
                "localhost",
                "API.example.com",
                "api.example.com.",
                "*.example.com",
                "-api.example.com",
                "api-.example.com",
                "api..example.com",
                "https://api.example.com",
                "10.0.0.1",
                `${"a".repeat(64)}.example.com`,
            ]) {
                assert.deepStrictEqual(
                    problemsOf({ domainName: bad }),
                    [`api-cluster:domainName ${allowed}; got ${JSON.stringify(bad)}`],
                    bad,
                );
            }
        });

        it("turns Session Manager on by default, and off with false", () => {
            assert.strictEqual(readStackSettings({}).settings.sessionManager, true);
            assert.strictEqual(readStackSettings({ "api-cluster:sessionManager": "false" }).settings.sessionManager, false);
            assert.deepStrictEqual(problemsOf({ sessionManager: "off" }), ['api-cluster:sessionManager must be true or false; got "off"']);
        });

        it("accepts only default-vpc, dedicated or existing networks", () => {
            assert.deepStrictEqual(problemsOf({ network: "dedicated" }), []);
            assert.deepStrictEqual(problemsOf({ network: "custom" }), [
                'api-cluster:network must be one of default-vpc, dedicated, existing; got "custom"',
            ]);
        });

        it("accepts true or false for deletionProtection", () => {
            assert.deepStrictEqual(problemsOf({ deletionProtection: "yes" }), [
                'api-cluster:deletionProtection must be true or false; got "yes"',
            ]);
        });

        it("checks AMI ids, certificate ARNs, key names and the admin username", () => {
            assert.deepStrictEqual(
                problemsOf({
                    amiId: "ami-0123456789abcdef0",
                    certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
                    keyName: "ops-key",
                    adminUsername: "ops@example.com",
                }),
                [],
            );
            assert.deepStrictEqual(
                problemsOf({ amiId: "ami-123", certificateArn: "arn:aws:iam::123456789012:role/x", keyName: "", adminUsername: "a:b" }),
                [
                    'api-cluster:amiId must be an AMI id such as ami-0123456789abcdef0; got "ami-123"',
                    'api-cluster:certificateArn must be an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/<uuid>; got "arn:aws:iam::123456789012:role/x"',
                    'api-cluster:keyName must be an EC2 key pair name of 1 to 255 printable characters; got ""',
                    'api-cluster:adminUsername must be 1 to 128 characters with no colon or whitespace, such as admin@fake.com; got "a:b"',
                ],
            );
        });
    });

    describe("existing network", () => {
        const vpcId = "vpc-0a1b2c3d4e5f60718";
        const [s1, s2, s3] = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1", "subnet-0123456789abcdef2"];
        const existing = (network: Record<string, unknown>) => ({ network: "existing", existingNetwork: JSON.stringify(network) });

        it("reads the VPC and both subnet lists", () => {
            const { settings } = readStackSettings({
                "api-cluster:network": "existing",
                "api-cluster:existingNetwork": JSON.stringify({ vpcId, loadBalancerSubnetIds: [s1, s2], instanceSubnetIds: [s3] }),
            });
            assert.strictEqual(settings.network, "existing");
            assert.deepStrictEqual(settings.existingNetwork, { vpcId, loadBalancerSubnetIds: [s1, s2], instanceSubnetIds: [s3] });
        });

        it("is required with network existing, and every field in it", () => {
            assert.deepStrictEqual(problemsOf({ network: "existing" }), [
                "api-cluster:existingNetwork is required when network is existing; got nothing",
            ]);
            assert.deepStrictEqual(problemsOf(existing({})), [
                "api-cluster:existingNetwork.vpcId is required when network is existing; got nothing",
                "api-cluster:existingNetwork.loadBalancerSubnetIds is required when network is existing; got nothing",
                "api-cluster:existingNetwork.instanceSubnetIds is required when network is existing; got nothing",
            ]);
        });

        it("is refused with the other networks", () => {
            for (const network of ["default-vpc", "dedicated"]) {
                assert.deepStrictEqual(
                    problemsOf({
                        network,
                        existingNetwork: JSON.stringify({ vpcId, loadBalancerSubnetIds: [s1, s2], instanceSubnetIds: [s3] }),
                    }),
                    [`api-cluster:existingNetwork is only used with network existing; got it with network "${network}"`],
                );
            }
        });

        it("takes 2 load balancer subnets and 1 instance subnet, refuses 1 and 0", () => {
            assert.deepStrictEqual(problemsOf(existing({ vpcId, loadBalancerSubnetIds: [s1, s2], instanceSubnetIds: [s3] })), []);
            assert.deepStrictEqual(problemsOf(existing({ vpcId, loadBalancerSubnetIds: [s1], instanceSubnetIds: [] })), [
                "api-cluster:existingNetwork.loadBalancerSubnetIds must list at least 2 subnets; got 1",
                "api-cluster:existingNetwork.instanceSubnetIds must list at least 1 subnet; got 0",
            ]);
        });

        it("refuses a subnet listed twice in one list, but lets the instances share the load balancer's subnets", () => {
            assert.deepStrictEqual(problemsOf(existing({ vpcId, loadBalancerSubnetIds: [s1, s2], instanceSubnetIds: [s1, s2] })), []);
            assert.deepStrictEqual(problemsOf(existing({ vpcId, loadBalancerSubnetIds: [s1, s2, s1], instanceSubnetIds: [s3, s3] })), [
                `api-cluster:existingNetwork.loadBalancerSubnetIds must not list a subnet twice; got "${s1}" more than once`,
                `api-cluster:existingNetwork.instanceSubnetIds must not list a subnet twice; got "${s3}" more than once`,
            ]);
        });

        it("checks the id formats and names each bad one by index", () => {
            assert.deepStrictEqual(
                problemsOf(
                    existing({ vpcId: "vpc-xyz", loadBalancerSubnetIds: [s1, "sub-1"], instanceSubnetIds: ["subnet-0123"], extra: 1 }),
                ),
                [
                    'api-cluster:existingNetwork.vpcId must be a VPC id such as vpc-0123456789abcdef0; got "vpc-xyz"',
                    'api-cluster:existingNetwork.loadBalancerSubnetIds[1] must be a subnet id such as subnet-0123456789abcdef0; got "sub-1"',
                    'api-cluster:existingNetwork.instanceSubnetIds[0] must be a subnet id such as subnet-0123456789abcdef0; got "subnet-0123"',
                    "api-cluster:existingNetwork.extra is not a known key; known keys are instanceSubnetIds, loadBalancerSubnetIds, vpcId",
                ],
            );
            assert.deepStrictEqual(
                problemsOf(existing({ vpcId: "vpc-0123abcd", loadBalancerSubnetIds: ["subnet-0123abcd", s2], instanceSubnetIds: [s3] })),
                [],
            );
        });

        it("refuses a value that is not an object", () => {
            assert.deepStrictEqual(problemsOf({ network: "existing", existingNetwork: "vpc-0123abcd" }), [
                'api-cluster:existingNetwork must be an object with fields vpcId, loadBalancerSubnetIds, instanceSubnetIds; got "vpc-0123abcd"',
            ]);
        });
    });

    describe("fleet", () => {
        it("accepts instances and autoscaling, and names the key and the choices for anything else", () => {
            assert.strictEqual(readStackSettings({ "api-cluster:fleet": "instances" }).settings.fleet, FleetMode.Instances);
            assert.strictEqual(readStackSettings({ "api-cluster:fleet": "autoscaling" }).settings.fleet, FleetMode.AutoScaling);
            assert.deepStrictEqual(problemsOf({ fleet: "asg" }), ['api-cluster:fleet must be one of instances, autoscaling; got "asg"']);
            assert.deepStrictEqual(problemsOf({ fleet: "Autoscaling" }), [
                'api-cluster:fleet must be one of instances, autoscaling; got "Autoscaling"',
            ]);
        });

        it("defaults the minimum to instanceCount and the maximum to twice it, capped at 100", () => {
            const sizes = (config: Record<string, string>) => {
                const { minInstanceCount, instanceCount, maxInstanceCount } = readStackSettings(config).settings;
                return [minInstanceCount, instanceCount, maxInstanceCount];
            };
            assert.deepStrictEqual(sizes({}), [2, 2, 4]);
            assert.deepStrictEqual(sizes({ "api-cluster:instanceCount": "3" }), [3, 3, 6]);
            assert.deepStrictEqual(sizes({ "api-cluster:instanceCount": "50" }), [50, 50, 100]);
            assert.deepStrictEqual(sizes({ "api-cluster:instanceCount": "51" }), [51, 51, 100]);
            assert.deepStrictEqual(sizes({ "api-cluster:instanceCount": "100" }), [100, 100, 100]);
        });

        it("accepts 1 ≤ min ≤ desired ≤ max ≤ 100 at every bound", () => {
            assert.deepStrictEqual(problemsOf({ minInstanceCount: "1", instanceCount: "1", maxInstanceCount: "1" }), []);
            assert.deepStrictEqual(problemsOf({ minInstanceCount: "100", instanceCount: "100", maxInstanceCount: "100" }), []);
            assert.deepStrictEqual(problemsOf({ minInstanceCount: "1", instanceCount: "3", maxInstanceCount: "100" }), []);
            assert.deepStrictEqual(problemsOf({ minInstanceCount: "3", instanceCount: "3", maxInstanceCount: "3" }), []);
        });

        it("rejects a minimum below 1 or above 100", () => {
            assert.deepStrictEqual(problemsOf({ minInstanceCount: "0" }), [
                'api-cluster:minInstanceCount must be an integer from 1 to 100; got "0"',
            ]);
            assert.deepStrictEqual(problemsOf({ minInstanceCount: "101", instanceCount: "100", maxInstanceCount: "100" }), [
                'api-cluster:minInstanceCount must be an integer from 1 to 100; got "101"',
            ]);
        });

        it("rejects a maximum below 1 or above 100", () => {
            assert.deepStrictEqual(problemsOf({ maxInstanceCount: "0", instanceCount: "1", minInstanceCount: "1" }), [
                'api-cluster:maxInstanceCount must be an integer from 1 to 100; got "0"',
            ]);
            assert.deepStrictEqual(problemsOf({ maxInstanceCount: "101" }), [
                'api-cluster:maxInstanceCount must be an integer from 1 to 100; got "101"',
            ]);
        });

        it("rejects a minimum one above the desired size", () => {
            assert.deepStrictEqual(problemsOf({ minInstanceCount: "4", instanceCount: "3" }), [
                "api-cluster:minInstanceCount must be at most instanceCount (3); got 4",
            ]);
        });

        it("rejects a maximum one below the desired size", () => {
            assert.deepStrictEqual(problemsOf({ maxInstanceCount: "2", instanceCount: "3" }), [
                "api-cluster:maxInstanceCount must be at least instanceCount (3); got 2",
            ]);
        });

        it("reports both sizes when min and max are swapped", () => {
            assert.deepStrictEqual(problemsOf({ minInstanceCount: "5", instanceCount: "3", maxInstanceCount: "1" }), [
                "api-cluster:minInstanceCount must be at most instanceCount (3); got 5",
                "api-cluster:maxInstanceCount must be at least instanceCount (3); got 1",
            ]);
        });

        it("does not compare sizes when one of them is already out of range", () => {
            assert.deepStrictEqual(problemsOf({ instanceCount: "0", maxInstanceCount: "5" }), [
                'api-cluster:instanceCount must be an integer from 1 to 100; got "0"',
            ]);
        });
    });

    describe("admin password", () => {
        it("keeps a valid password secret", async () => {
            const { adminPassword } = readStackSettings({ "api-cluster:adminPassword": "correct-horse-battery" });
            assert.ok(adminPassword);
            assert.strictEqual(await pulumi.isSecret(adminPassword), true);
        });

        it("rejects a short password without quoting it", () => {
            assert.deepStrictEqual(problemsOf({ adminPassword: "adminpass" }), [
                "api-cluster:adminPassword must be 12 to 1024 characters on one line; got a secret of 9 characters",
            ]);
        });
    });

    describe("unknown keys and many problems", () => {
        it("suggests the closest known key", () => {
            assert.deepStrictEqual(problemsOf({ instanceCuont: "3" }), [
                "api-cluster:instanceCuont is not a known key; did you mean instanceCount?",
            ]);
        });

        it("lists the known keys when nothing is close", () => {
            assert.deepStrictEqual(problemsOf({ zzzzzzzz: "1" }), [
                "api-cluster:zzzzzzzz is not a known key; known keys are accessLogRetentionDays, accessLogs, adminPassword, adminUsername, alarmEmails, alarmEvaluationMinutes, alarmLatencyP99Milliseconds, alarmServerErrorPercent, alarms, allowedCidrs, amiId, app, appPort, availabilityZoneCount, availabilityZones, certificateArn, deletionProtection, deregistrationDelaySeconds, domainName, existingNetwork, fleet, healthCheck, healthCheckGracePeriodSeconds, hostedZoneId, hostedZoneName, imageRetentionCount, instanceCount, instanceType, instanceWarmupSeconds, keyName, maxInstanceCount, minInstanceCount, network, permissionsBoundaryArn, port, sessionManager, sshCidrs, stickiness, targetRequestsPerMinute, vpcCidr",
            ]);
        });

        it("ignores keys of other namespaces", () => {
            assert.deepStrictEqual(problemsOf({}), []);
            assert.strictEqual(readStackSettings({ "aws:region": "eu-west-1" }).settings.instanceCount, 2);
        });

        it("reports every problem at once, in one error", () => {
            assert.throws(
                () =>
                    readStackSettings({
                        "api-cluster:instanceCuont": "3",
                        "api-cluster:instanceCount": "0",
                        "api-cluster:healthCheck": '{"intervalSeconds":5,"timeoutSeconds":5}',
                    }),
                (err: unknown) => {
                    assert.ok(err instanceof SettingsError);
                    assert.strictEqual(
                        err.message,
                        [
                            "invalid configuration:",
                            "  - api-cluster:instanceCuont is not a known key; did you mean instanceCount?",
                            '  - api-cluster:instanceCount must be an integer from 1 to 100; got "0"',
                            "  - api-cluster:healthCheck.timeoutSeconds must be below healthCheck.intervalSeconds (5); got 5",
                        ].join("\n"),
                    );
                    return true;
                },
            );
        });
    });
});
