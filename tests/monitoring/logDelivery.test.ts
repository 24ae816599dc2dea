/**
 * The region rule of the access log bucket's policy (components/monitoring/logDelivery.ts): regions of
 * the provider's aws.elb.getServiceAccount table take the regional account, every other region the log
 * delivery service principal. The offline mocks answer the invoke from a copy of the provider's table
 * (terraform-provider-aws internal/service/elb/service_account_data_source.go) with the provider's
 * semantics: the region given or the provider's own, `arn:<partition>:iam::<account>:root`, and
 * "unsupported AWS Region" for any other region.
 */
import * as assert from "assert";
import { LEGACY_LOG_DELIVERY_REGIONS } from "../../components/monitoring/logDelivery";
import { OfflineAccount, invokeMocks } from "../../preview/mocks";
import { ELB_SERVICE_ACCOUNTS } from "../../preview/mocks/monitoring";

const TOKEN = "aws:elb/getServiceAccount:getServiceAccount";

describe("access log delivery by region", () => {
    it("asks the provider's table only for regions it holds: the component's legacy regions are its keys", () => {
        assert.deepStrictEqual([...LEGACY_LOG_DELIVERY_REGIONS].sort(), Object.keys(ELB_SERVICE_ACCOUNTS).sort());
    });

    it("answers us-east-1, an old region, with its account 127311923021", () => {
        assert.deepStrictEqual(invokeMocks[TOKEN]({ region: "us-east-1" }, new OfflineAccount("eu-west-1")), {
            id: "127311923021",
            arn: "arn:aws:iam::127311923021:root",
            region: "us-east-1",
        });
    });

    it("answers with the provider's own region when none is given, and the partition's ARN", () => {
        assert.strictEqual(invokeMocks[TOKEN]({}, new OfflineAccount("eu-west-1")).arn, "arn:aws:iam::156460612806:root");
        assert.strictEqual(
            invokeMocks[TOKEN]({ region: "cn-north-1" }, new OfflineAccount("us-east-1")).arn,
            "arn:aws-cn:iam::638102146993:root",
        );
    });

    it("fails for ap-southeast-4 and me-central-1, as the provider does, which is why the component never asks", () => {
        for (const region of ["ap-southeast-4", "me-central-1"]) {
            assert.throws(() => invokeMocks[TOKEN]({ region }, new OfflineAccount("us-east-1")), {
                message: `unsupported AWS Region: ${region}`,
            });
            assert.strictEqual(LEGACY_LOG_DELIVERY_REGIONS.has(region), false);
        }
    });
});
