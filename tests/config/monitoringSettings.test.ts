/** The monitoring keys' rules: each bound on both sides, the email rule, and the alarm email cross-checks. */
import * as assert from "assert";
import { problemsOf } from "../support/configProblems";

describe("monitoring settings", () => {
    const bounds: [string, number, number, string][] = [
        ["alarmEvaluationMinutes", 1, 60, "must be an integer from 1 to 60"],
        ["alarmServerErrorPercent", 1, 100, "must be an integer from 1 to 100"],
        ["alarmLatencyP99Milliseconds", 10, 60000, "must be an integer from 10 to 60000"],
        ["accessLogRetentionDays", 1, 3650, "must be an integer from 1 to 3650"],
    ];
    for (const [key, min, max, rule] of bounds) {
        describe(key, () => {
            it(`accepts ${min} and ${max}, its bounds`, () => {
                assert.deepStrictEqual(problemsOf({ [key]: String(min) }), []);
                assert.deepStrictEqual(problemsOf({ [key]: String(max) }), []);
            });

            it(`refuses ${min - 1} and ${max + 1}, naming the key, the range and the value`, () => {
                assert.deepStrictEqual(problemsOf({ [key]: String(min - 1) }), [`api-cluster:${key} ${rule}; got "${min - 1}"`]);
                assert.deepStrictEqual(problemsOf({ [key]: String(max + 1) }), [`api-cluster:${key} ${rule}; got "${max + 1}"`]);
            });

            it("refuses a value that is not an integer", () => {
                assert.deepStrictEqual(problemsOf({ [key]: "2.5" }), [`api-cluster:${key} ${rule}; got "2.5"`]);
            });
        });
    }

    for (const key of ["alarms", "accessLogs"]) {
        it(`reads ${key} as a boolean and refuses anything else`, () => {
            assert.deepStrictEqual(problemsOf({ [key]: "false" }), []);
            assert.deepStrictEqual(problemsOf({ [key]: "off" }), [`api-cluster:${key} must be true or false; got "off"`]);
        });
    }

    describe("alarmEmails", () => {
        it("accepts a list of addresses", () => {
            assert.deepStrictEqual(problemsOf({ alarmEmails: '["oncall@example.com","team.lead+api@mail.example.org"]' }), []);
        });

        it("refuses an address that is not one, naming its index", () => {
            assert.deepStrictEqual(problemsOf({ alarmEmails: '["oncall@example.com","oncall.example.com","a@b"]' }), [
                'api-cluster:alarmEmails[1] must be an email address such as oncall@example.com; got "oncall.example.com"',
                'api-cluster:alarmEmails[2] must be an email address such as oncall@example.com; got "a@b"',
            ]);
        });

        it("refuses an address given twice, compared without regard to case", () => {
            assert.deepStrictEqual(problemsOf({ alarmEmails: '["oncall@example.com","OnCall@Example.com"]' }), [
                'api-cluster:alarmEmails[1] must name each address once; got "OnCall@Example.com" again (first at alarmEmails[0])',
            ]);
        });

        it("refuses addresses with alarms false, since there is no topic", () => {
            assert.deepStrictEqual(problemsOf({ alarms: "false", alarmEmails: '["oncall@example.com"]' }), [
                'api-cluster:alarmEmails must be empty with alarms false: there is no alarm topic to subscribe to; got ["oncall@example.com"]',
            ]);
        });

        it("refuses a value that is not a list", () => {
            assert.deepStrictEqual(problemsOf({ alarmEmails: "oncall@example.com" }), [
                'api-cluster:alarmEmails must be a list of strings; got "oncall@example.com"',
            ]);
        });
    });

    it("reports every monitoring problem at once", () => {
        assert.deepStrictEqual(problemsOf({ alarmEvaluationMinutes: "0", accessLogRetentionDays: "0", alarmEmails: '["x"]' }).length, 3);
    });
});
