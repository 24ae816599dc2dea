/**
 * Alarm shapes: @pulumi/aws 7.48 cloudwatch/metricAlarm (`namespace`, `metricName`, `dimensions` as a map of
 * strings, or `metricQueries[]` each with `metric { namespace, metricName, dimensions, stat, period }`), as
 * api-cluster registers them (components/monitoring/alarms.ts); the TargetGroup dimension is the target
 * group's `arnSuffix` output, `targetgroup/<name>/<id>`.
 */
import * as assert from "assert";
import { LISTENER_TOKENS, TARGET_GROUP_TOKENS } from "../../policy-pack/policies/shared/tokens";
import { TG_ARN, cluster, listenerRuleInputs, stackOf, withDependencies, withInput } from "./fixtures";
import { DELETE, UNKNOWN, changed, expected, messagesOf, resource, violationsOf } from "./harness";

const NAME = "alb-target-group-requires-unhealthy-host-alarm";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TG_SUFFIX = TG_ARN.split(":").pop() as string;
const LB_SUFFIX = "app/api-alb/50dc6c495c0c9188";
const MISSING =
    'Target group "api-tg" receives requests from "api-listener", but no alarm that notifies anyone watches its UnHealthyHostCount: add a MetricAlarm on AWS/ApplicationELB UnHealthyHostCount with its TargetGroup dimension and an alarm action.';

/** The unhealthy-hosts alarm's inputs, as api-cluster registers it. */
function alarmInputs(): Record<string, unknown> {
    return {
        name: "api-cluster-test-api-unhealthy-hosts",
        namespace: "AWS/ApplicationELB",
        metricName: "UnHealthyHostCount",
        statistic: "Maximum",
        dimensions: { TargetGroup: TG_SUFFIX, LoadBalancer: LB_SUFFIX },
        period: 60,
        evaluationPeriods: 3,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        alarmActions: ["arn:aws:sns:us-east-1:123456789012:api-cluster-test-api-alarms"],
    };
}

/** The fixture cluster without its own alarm. */
function bareCluster(tokens: Parameters<typeof cluster>[0] = {}) {
    const c = cluster(tokens);
    delete c.unhealthyAlarm;
    return c;
}

/** A compliant stack: the cluster (its target group with its arnSuffix output) and the alarm, linked by dependency too. */
function stack(options: { tgToken?: string; alarm?: Record<string, unknown>; dependencies?: Record<string, string[]> } = {}) {
    const c = bareCluster({ targetGroup: options.tgToken });
    c.targetGroup = withInput(c.targetGroup, "arnSuffix", TG_SUFFIX);
    const alarm = resource(
        ALARM,
        "api-unhealthy-hosts",
        options.alarm ?? alarmInputs(),
        options.dependencies ?? {
            dimensions: [c.targetGroup.urn, c.loadBalancer.urn],
        },
    );
    return { c, alarm, resources: stackOf(c, alarm) };
}

describe(NAME, () => {
    for (const token of TARGET_GROUP_TOKENS) {
        describe(token, () => {
            it("passes a forwarded-to target group with an UnHealthyHostCount alarm", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, stack({ tgToken: token }).resources), []);
            });

            it("reports a forwarded-to target group without any alarm, as advisory against the target group", async () => {
                const { c } = stack({ tgToken: token });
                const violations = await violationsOf(NAME, stackOf(c));
                assert.deepStrictEqual(
                    violations.map((v) => [v.message, v.enforcementLevel, v.urn]),
                    [[expected(NAME, MISSING)[0], "advisory", c.targetGroup.urn]],
                );
            });
        });
    }

    for (const token of LISTENER_TOKENS) {
        it(`follows a ${token} to its target group`, async () => {
            const c = bareCluster({ listener: token });
            c.targetGroup = withInput(c.targetGroup, "arnSuffix", TG_SUFFIX);
            assert.deepStrictEqual(await messagesOf(NAME, stackOf(c)), expected(NAME, MISSING));
        });
    }

    it("passes the fixture cluster, whose alarm is api-cluster's", async () => {
        assert.deepStrictEqual(await messagesOf(NAME, stackOf(cluster())), []);
    });

    it("links the alarm by its TargetGroup dimension's value alone", async () => {
        assert.deepStrictEqual(await messagesOf(NAME, stack({ dependencies: {} }).resources), []);
    });

    it("links the alarm by its property dependency alone, when the dimension is unknown", async () => {
        const alarm = changed(alarmInputs(), "dimensions", UNKNOWN);
        const { c } = stack();
        const linked = resource(ALARM, "api-unhealthy-hosts", alarm, { dimensions: [c.targetGroup.urn] });
        assert.deepStrictEqual(await messagesOf(NAME, stackOf(c, linked)), []);
    });

    it("reports an alarm on another target group's UnHealthyHostCount", async () => {
        const alarm = changed(alarmInputs(), "dimensions.TargetGroup", "targetgroup/other-tg/0123456789abcdef");
        assert.deepStrictEqual(await messagesOf(NAME, stack({ alarm, dependencies: {} }).resources), expected(NAME, MISSING));
    });

    it("reports an alarm on the target group's HealthyHostCount only", async () => {
        const alarm = changed(alarmInputs(), "metricName", "HealthyHostCount");
        assert.deepStrictEqual(await messagesOf(NAME, stack({ alarm }).resources), expected(NAME, MISSING));
    });

    it("reports an UnHealthyHostCount alarm without an alarm action, which tells no one", async () => {
        const alarm = changed(alarmInputs(), "alarmActions", DELETE);
        assert.deepStrictEqual(await messagesOf(NAME, stack({ alarm }).resources), expected(NAME, MISSING));
    });

    it("reports an UnHealthyHostCount alarm whose alarm actions are an empty list", async () => {
        const alarm = changed(alarmInputs(), "alarmActions", []);
        assert.deepStrictEqual(await messagesOf(NAME, stack({ alarm }).resources), expected(NAME, MISSING));
    });

    it("reports an UnHealthyHostCount alarm whose actions are turned off", async () => {
        const alarm = changed(alarmInputs(), "actionsEnabled", false);
        assert.deepStrictEqual(await messagesOf(NAME, stack({ alarm }).resources), expected(NAME, MISSING));
    });

    it("passes an UnHealthyHostCount alarm whose actions are on explicitly", async () => {
        const alarm = changed(alarmInputs(), "actionsEnabled", true);
        assert.deepStrictEqual(await violationsOf(NAME, stack({ alarm }).resources), []);
    });

    it("reports an UnHealthyHostCount alarm of another namespace", async () => {
        const alarm = changed(alarmInputs(), "namespace", "AWS/NetworkELB");
        assert.deepStrictEqual(await messagesOf(NAME, stack({ alarm }).resources), expected(NAME, MISSING));
    });

    it("passes an alarm whose metric math reads the target group's UnHealthyHostCount", async () => {
        const alarm = {
            name: "unhealthy-share",
            metricQueries: [
                {
                    id: "unhealthy",
                    returnData: false,
                    metric: {
                        namespace: "AWS/ApplicationELB",
                        metricName: "UnHealthyHostCount",
                        stat: "Maximum",
                        period: 60,
                        dimensions: { TargetGroup: TG_SUFFIX, LoadBalancer: LB_SUFFIX },
                    },
                },
                { id: "e", expression: "unhealthy", returnData: true },
            ],
            threshold: 1,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            evaluationPeriods: 3,
            alarmActions: alarmInputs().alarmActions,
        };
        assert.deepStrictEqual(await messagesOf(NAME, stack({ alarm, dependencies: {} }).resources), []);
    });

    it("reports a target group that only a listener rule forwards to", async () => {
        const c = bareCluster();
        c.targetGroup = withInput(c.targetGroup, "arnSuffix", TG_SUFFIX);
        c.listener = withDependencies(withInput(c.listener, "defaultActions", [{ type: "fixed-response" }]), {});
        const rule = resource("aws:lb/listenerRule:ListenerRule", "api-rule", listenerRuleInputs(), { actions: [c.targetGroup.urn] });
        assert.deepStrictEqual(
            await messagesOf(NAME, stackOf(c, rule)),
            expected(NAME, MISSING.replace('from "api-listener"', 'from "api-rule"')),
        );
    });

    it("passes a target group no listener forwards to", async () => {
        const c = bareCluster();
        c.listener = withDependencies(withInput(c.listener, "defaultActions", [{ type: "fixed-response" }]), {});
        assert.deepStrictEqual(await messagesOf(NAME, stackOf(c)), []);
    });

    it("reports a target group once when two listeners forward to it", async () => {
        const { c } = stack();
        const second = withInput(c.listener, "port", 8083);
        const renamed = { ...second, name: "api-listener-2", urn: second.urn.replace("api-listener", "api-listener-2") };
        assert.deepStrictEqual(await messagesOf(NAME, stackOf(c, renamed)), expected(NAME, MISSING));
    });

    describe("values unknown during preview", () => {
        it("stays silent when an alarm's metricName is unknown", async () => {
            const alarm = changed(alarmInputs(), "metricName", UNKNOWN);
            assert.deepStrictEqual(await violationsOf(NAME, stack({ alarm, dependencies: {} }).resources), []);
        });

        it("stays silent when an alarm's dimensions are unknown and no dependency links it", async () => {
            const alarm = changed(alarmInputs(), "dimensions", UNKNOWN);
            assert.deepStrictEqual(await violationsOf(NAME, stack({ alarm, dependencies: {} }).resources), []);
        });

        it("stays silent when an alarm's alarmActions are unknown", async () => {
            const alarm = changed(alarmInputs(), "alarmActions", UNKNOWN);
            assert.deepStrictEqual(await violationsOf(NAME, stack({ alarm }).resources), []);
        });

        it("stays silent when an alarm's metricQueries are unknown", async () => {
            const alarm = changed(changed(alarmInputs(), "metricName", DELETE), "metricQueries", UNKNOWN);
            assert.deepStrictEqual(await violationsOf(NAME, stack({ alarm, dependencies: {} }).resources), []);
        });

        it("stays silent when the target group's arnSuffix is unknown and an alarm names some target group", async () => {
            const { c, alarm } = stack({ dependencies: {} });
            c.targetGroup = withInput(c.targetGroup, "arnSuffix", UNKNOWN);
            assert.deepStrictEqual(await violationsOf(NAME, stackOf(c, alarm)), []);
        });

        it("still reports when the target group's arnSuffix is unknown and no alarm could be its own", async () => {
            const { c } = stack();
            c.targetGroup = withInput(c.targetGroup, "arnSuffix", UNKNOWN);
            assert.deepStrictEqual(await messagesOf(NAME, stackOf(c)), expected(NAME, MISSING));
        });
    });

    it("reports as mandatory when the config raises it", async () => {
        const { c } = stack();
        const violations = await violationsOf(NAME, stackOf(c), { config: { enforcementLevel: "mandatory" } });
        assert.deepStrictEqual(
            violations.map((v) => v.enforcementLevel),
            ["mandatory"],
        );
    });
});
