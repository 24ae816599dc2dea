/** Where `npm run local` takes the admin password from: the config, then ADMIN_PASSWORD, then a generated one. */
import * as assert from "assert";
import { ADMIN_PASSWORD_KEY, AdminPasswordError, chooseAdminPassword } from "../../local/adminPassword";

describe("npm run local's admin password", function () {
    it("takes the config's api-cluster:adminPassword before ADMIN_PASSWORD", function () {
        assert.deepStrictEqual(
            chooseAdminPassword({ [ADMIN_PASSWORD_KEY]: "from-config-0123" }, [], { ADMIN_PASSWORD: "from-environment-0123" }),
            { password: "from-config-0123", source: "config" },
        );
    });

    it("takes ADMIN_PASSWORD when the config has none, or only a secure: placeholder", function () {
        const env = { ADMIN_PASSWORD: "from-environment-0123" };
        assert.deepStrictEqual(chooseAdminPassword({}, [], env), { password: "from-environment-0123", source: "environment" });
        assert.deepStrictEqual(chooseAdminPassword({ [ADMIN_PASSWORD_KEY]: "[secret]" }, [ADMIN_PASSWORD_KEY], env), {
            password: "from-environment-0123",
            source: "environment",
        });
    });

    it("generates a different 24-character password each run when neither is set, or ADMIN_PASSWORD is empty", function () {
        const first = chooseAdminPassword({}, [], {});
        const second = chooseAdminPassword({}, [], { ADMIN_PASSWORD: "" });
        assert.strictEqual(first.source, "generated");
        assert.strictEqual(second.source, "generated");
        assert.match(first.password, /^[A-Za-z0-9_-]{24}$/);
        assert.match(second.password, /^[A-Za-z0-9_-]{24}$/);
        assert.notStrictEqual(first.password, second.password);
    });

    it("refuses an ADMIN_PASSWORD the config would refuse, naming the variable and never quoting it", function () {
        assert.throws(
            () => chooseAdminPassword({}, [], { ADMIN_PASSWORD: "short-pw" }),
            (err: Error) => {
                assert.ok(err instanceof AdminPasswordError);
                assert.strictEqual(err.message, "ADMIN_PASSWORD must be 12 to 1024 characters on one line; got a secret of 8 characters");
                return true;
            },
        );
    });
});
