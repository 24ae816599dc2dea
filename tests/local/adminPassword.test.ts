/**
 * Where `npm run local` takes the admin password from: a file or stdin when the command line asks,
 * then the stack file, then ADMIN_PASSWORD, then a generated one; never `--config`.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Readable } from "stream";
import {
    ADMIN_PASSWORD_KEY,
    AdminPasswordError,
    chooseAdminPassword,
    passwordOnCommandLineProblem,
    readPasswordFile,
    readPasswordStdin,
} from "../../local/adminPassword";

const REFUSAL =
    "puts the admin password on the command line, where ps shows it to every user of this machine; " +
    "give it with --admin-password-file <path>, --admin-password-stdin, or ADMIN_PASSWORD in the environment";

describe("npm run local's admin password", function () {
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-password-"))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** A file holding `text` with `mode`. */
    const file = (name: string, text: string, mode: number) => {
        const at = path.join(dir, name);
        fs.writeFileSync(at, text);
        fs.chmodSync(at, mode);
        return at;
    };

    it("takes a supplied password (file or stdin) before the stack file's and ADMIN_PASSWORD", function () {
        assert.deepStrictEqual(
            chooseAdminPassword(
                { [ADMIN_PASSWORD_KEY]: "from-config-0123" },
                [],
                { ADMIN_PASSWORD: "from-environment-0123" },
                {
                    password: "from-file-0123456",
                    source: "file",
                },
            ),
            { password: "from-file-0123456", source: "file" },
        );
    });

    it("takes the stack file's api-cluster:adminPassword before ADMIN_PASSWORD", function () {
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

    it("refuses --config api-cluster:adminPassword, bare adminPassword and a path into it, saying how instead, never quoting it", function () {
        for (const key of ["api-cluster:adminPassword", "adminPassword", "api-cluster:adminPassword.x"]) {
            const problem = passwordOnCommandLineProblem([
                { key: "api-cluster:instanceCount", value: "3" },
                { key, value: "on-the-command-line-0123" },
            ]);
            assert.strictEqual(problem, `--config ${key} ${REFUSAL}`);
        }
    });

    it("lets every other --config key through, adminUsername and another namespace's adminPassword included", function () {
        assert.strictEqual(
            passwordOnCommandLineProblem([
                { key: "api-cluster:adminUsername", value: "ops@example.com" },
                { key: "other:adminPassword", value: "not-ours-0123456" },
                { key: "api-cluster:adminPasswordHint", value: "x" },
            ]),
            undefined,
        );
        assert.strictEqual(passwordOnCommandLineProblem([]), undefined);
    });

    it("reads a password file without its trailing newline, warning only when others than its owner may read it", function () {
        assert.deepStrictEqual(readPasswordFile(file("private", "from-a-file-0123\n", 0o600)), {
            password: "from-a-file-0123",
            warning: undefined,
        });
        assert.deepStrictEqual(readPasswordFile(file("crlf", "from-a-file-0123\r\n", 0o400)), {
            password: "from-a-file-0123",
            warning: undefined,
        });
        const shared = file("shared", "from-a-file-0123", 0o640);
        assert.deepStrictEqual(readPasswordFile(shared), {
            password: "from-a-file-0123",
            warning: `warning: ${shared} is readable by others than its owner (mode 0640); chmod 600 ${shared}`,
        });
    });

    it("refuses a password file that is missing or holds a password the config would refuse, never quoting it", function () {
        const missing = path.join(dir, "missing");
        assert.throws(() => readPasswordFile(missing), { message: `--admin-password-file ${missing}: ENOENT` });
        assert.throws(() => readPasswordFile(file("short", "short-pw\n", 0o600)), {
            message: "the file of --admin-password-file must be 12 to 1024 characters on one line; got a secret of 8 characters",
        });
        assert.throws(() => readPasswordFile(file("two-lines", "first-line-0123\nsecond-line-0123\n", 0o600)), {
            message: "the file of --admin-password-file must be 12 to 1024 characters on one line; got a secret of 32 characters",
        });
    });

    it("reads a password from a piped stdin without its trailing newline", async function () {
        const stdin = Readable.from([Buffer.from("from-std"), Buffer.from("in-0123456\n")]) as unknown as NodeJS.ReadStream;
        assert.strictEqual(await readPasswordStdin(stdin), "from-stdin-0123456");
    });

    it("refuses stdin that is a terminal (it would echo the password) or holds a short password", async function () {
        const terminal = Object.assign(Readable.from([]), { isTTY: true }) as unknown as NodeJS.ReadStream;
        await assert.rejects(readPasswordStdin(terminal), {
            message:
                "--admin-password-stdin reads a pipe, not a terminal: e.g. pass show api-cluster | npm run local -- --admin-password-stdin …",
        });
        const short = Readable.from([Buffer.from("short\n")]) as unknown as NodeJS.ReadStream;
        await assert.rejects(readPasswordStdin(short), {
            message: "the stdin of --admin-password-stdin must be 12 to 1024 characters on one line; got a secret of 5 characters",
        });
    });
});
