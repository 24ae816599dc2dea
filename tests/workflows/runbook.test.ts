/**
 * The runbook (docs/deploying.md) and the guides beside it (README.md, docs/*.md): every command they
 * show exists, every stack output and config key it names is real, its JSON parses, its steps are
 * all there in the lesson's order, and its environments table matches the stack files.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { KNOWN_KEYS } from "../../components/config/schema";
import { REPO_ROOT } from "./workflowFiles";

/** The program's stack outputs: the names index.ts exports. */
const STACK_OUTPUTS = [...fs.readFileSync(path.join(REPO_ROOT, "index.ts"), "utf8").matchAll(/^export const (\w+)/gm)].map(
    (match) => match[1],
);

/** The `api-cluster:` config keys, from the settings table; objects' fields are checked by their key. */
const CONFIG_KEYS = KNOWN_KEYS;

/** Pulumi CLI commands a runbook may show (`pulumi --help` and the command groups' own help). */
const PULUMI_COMMANDS = new Set([
    "about",
    "cancel",
    "config",
    "config get",
    "config set",
    "config set-all",
    "config rm",
    "config refresh",
    "destroy",
    "import",
    "install",
    "login",
    "logout",
    "new",
    "package",
    "package add",
    "package gen-sdk",
    "package get-schema",
    "plugin",
    "policy",
    "policy analyze",
    "policy disable",
    "policy enable",
    "policy group",
    "policy group ls",
    "policy ls",
    "policy new",
    "policy publish",
    "policy rm",
    "policy validate-config",
    "preview",
    "refresh",
    "stack",
    "stack export",
    "stack history",
    "stack import",
    "stack init",
    "stack ls",
    "stack output",
    "stack rm",
    "stack select",
    "stack tag",
    "stack tag get",
    "stack tag ls",
    "stack tag rm",
    "stack tag set",
    "state",
    "up",
    "version",
    "whoami",
]);

/** Pulumi command groups whose next word is a subcommand. */
const PULUMI_GROUPS = new Set(["config", "package", "policy", "policy group", "stack", "stack tag", "plugin", "state"]);

/** AWS CLI v2 commands a runbook may show; add one here after checking it with `aws <service> <command> help`. */
const AWS_COMMANDS = new Set([
    "autoscaling cancel-instance-refresh",
    "autoscaling describe-auto-scaling-groups",
    "autoscaling describe-instance-refreshes",
    "autoscaling set-desired-capacity",
    "cloudwatch set-alarm-state",
    "ec2 delete-snapshot",
    "ec2 deregister-image",
    "ec2 describe-images",
    "elbv2 describe-target-health",
    "elbv2 wait",
    "iam create-open-id-connect-provider",
    "iam create-policy",
    "imagebuilder delete-image",
    "imagebuilder list-image-build-versions",
    "imagebuilder list-images",
    "iam create-role",
    "iam put-role-policy",
    "s3 cp",
    "s3 ls",
    "s3 sync",
    "sns publish",
    "ssm get-parameter",
    "ssm start-session",
]);

/** The files that hold the runbook and the guides: README.md and every docs/*.md. */
function runbookFiles(): { name: string; text: string }[] {
    const docs = fs
        .readdirSync(path.join(REPO_ROOT, "docs"))
        .filter((file) => file.endsWith(".md"))
        .sort()
        .map((file) => path.join("docs", file));
    return ["README.md", ...docs].map((name) => ({ name, text: fs.readFileSync(path.join(REPO_ROOT, name), "utf8") }));
}

/** A fenced code block, indented or not (in a list item): its info string and its code. */
const FENCED = /^[ \t]*```([^\n]*)\n([\s\S]*?)^[ \t]*```[ \t]*$/gm;

/** The fenced code blocks of a Markdown text, with their info string. */
function codeBlocks(markdown: string): { lang: string; code: string }[] {
    return [...markdown.matchAll(FENCED)].map((match) => ({ lang: match[1].trim(), code: match[2] }));
}

/** Languages of program source, whose `pulumi` is a module, never the CLI (docs/component-package.md's snippets). */
const PROGRAM_LANGUAGES = new Set(["typescript", "python"]);

/** Every piece of code in a Markdown text: the fenced blocks but program source, then the inline code spans outside them. */
function codeOf(markdown: string): string[] {
    const blocks = codeBlocks(markdown)
        .filter((block) => !PROGRAM_LANGUAGES.has(block.lang))
        .map((block) => block.code);
    const prose = markdown.replace(FENCED, "");
    const spans = [...prose.matchAll(/`([^`\n]+)`/g)].map((match) => match[1]);
    return [...blocks, ...spans];
}

/** The output each `pulumi stack output` names, skipping its flags; undefined when it names none. */
function stackOutputsNamed(code: string): { command: string; name: string | undefined }[] {
    return [...code.matchAll(/pulumi stack output((?:[ \t]+[^\s|;)&"`]+)*)/g)].map((match) => {
        const words = match[1].trim().split(/\s+/).filter(Boolean);
        const names: string[] = [];
        for (let i = 0; i < words.length; i++) {
            if (words[i] === "--stack" || words[i] === "-s") {
                i++;
            } else if (!words[i].startsWith("-")) {
                names.push(words[i]);
            }
        }
        return { command: match[0], name: names[0] };
    });
}

/** A stack's setting: from Pulumi.<stack>.yaml, else the default Pulumi.yaml declares. */
function stackSetting(stack: string, key: string): unknown {
    const project = parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as {
        config: Record<string, { default?: unknown; value?: unknown }>;
    };
    const stackFile = parse(fs.readFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> };
    const [top, ...fields] = key.split(".");
    const fullKey = `api-cluster:${top}`;
    const fromStack = stackFile.config?.[fullKey];
    const declared = project.config[fullKey];
    const pick = (value: unknown) => fields.reduce<unknown>((node, field) => (node as Record<string, unknown> | undefined)?.[field], value);
    const stackValue = pick(fromStack);
    return stackValue !== undefined ? stackValue : pick(declared?.default ?? declared?.value);
}

/** The rows of every Markdown table whose header is `| | dev | staging | prod |`, by row label. */
function environmentTables(markdown: string): Map<string, string[]>[] {
    const tables: Map<string, string[]>[] = [];
    const lines = markdown.split("\n");
    for (let i = 0; i < lines.length; i++) {
        if (!/^\|\s*\|\s*dev\s*\|\s*staging\s*\|\s*prod\s*\|$/.test(lines[i].trim())) {
            continue;
        }
        const rows = new Map<string, string[]>();
        for (let j = i + 2; j < lines.length && lines[j].trim().startsWith("|"); j++) {
            const cells = lines[j]
                .trim()
                .replace(/^\||\|$/g, "")
                .split("|")
                .map((cell) => cell.trim());
            rows.set(cells[0], cells.slice(1));
        }
        tables.push(rows);
    }
    return tables;
}

describe("runbook", function () {
    const files = runbookFiles();
    const all = files.map((file) => file.text).join("\n");
    const deploying = files.find((file) => file.name === path.join("docs", "deploying.md"))?.text ?? "";
    const code = files.flatMap((file) => codeOf(file.text));
    const scripts = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> })
        .scripts;

    it("exists, as docs/deploying.md, linked from the README", function () {
        assert.match(deploying, /^# Deploying$/m);
        assert.match(files[0].text, /\]\(docs\/deploying\.md\)/);
    });

    it("runs only npm scripts that package.json defines", function () {
        const named = [...all.matchAll(/\bnpm run (?:-s |--silent )?([A-Za-z0-9_-]+(?::[A-Za-z0-9_-]+)*)/g)].map((match) => match[1]);
        assert.ok(named.length > 0);
        for (const script of named) {
            assert.ok(script in scripts, `npm run ${script}: package.json has no such script`);
        }
    });

    it("runs only repository scripts that exist and are executable", function () {
        const named = [...new Set([...code.join("\n").matchAll(/(?:^|[\s;&|(`])(scripts\/[A-Za-z0-9_.-]+)/gm)].map((match) => match[1]))];
        assert.ok(named.includes("scripts/check-instances.sh"), "the runbook runs scripts/check-instances.sh");
        for (const script of named) {
            const file = path.join(REPO_ROOT, script);
            assert.ok(fs.existsSync(file), `${script}: no such file`);
            assert.notStrictEqual(fs.statSync(file).mode & 0o111, 0, `${script} is not executable`);
        }
    });

    it("reads only stack outputs the program exports", function () {
        const reads = code.flatMap(stackOutputsNamed);
        assert.ok(reads.some((read) => read.name === "targetGroupArn"));
        for (const { command, name } of reads) {
            assert.ok(name === undefined || STACK_OUTPUTS.includes(name), `${command}: the stack has no output ${name}`);
        }
    });

    it("sets and gets only config keys the program reads", function () {
        const commands = [
            ...code.join("\n").matchAll(/pulumi config (?:set|get|rm)(?: --(?:secret|path|plaintext))* '?api-cluster:([A-Za-z]+)/g),
        ];
        assert.ok(commands.length > 0);
        for (const match of commands) {
            assert.ok(CONFIG_KEYS.includes(match[1]), `${match[0]}: api-cluster:${match[1]} is not a config key`);
        }
    });

    it("shows only Pulumi and AWS CLI commands that exist", function () {
        for (const piece of code) {
            for (const match of piece.matchAll(/(?:^|[\s;&|(`$])pulumi((?: [a-z][a-z-]*){1,3})/gm)) {
                const words = match[1].trim().split(" ");
                let command = words[0];
                for (let i = 1; i < words.length && PULUMI_GROUPS.has(command); i++) {
                    command = `${command} ${words[i]}`;
                }
                assert.ok(PULUMI_COMMANDS.has(command), `pulumi ${command}: no such command (in ${JSON.stringify(match[0].trim())})`);
            }
            for (const match of piece.matchAll(/(?:^|[\s;&|(`$])aws ([a-z0-9]+) ([a-z][a-z-]*)/gm)) {
                assert.ok(AWS_COMMANDS.has(`${match[1]} ${match[2]}`), `aws ${match[1]} ${match[2]} is not a command this runbook knows`);
            }
        }
    });

    it("never puts a password on a command line: curl reads credentials from its standard input, local from the environment", function () {
        // curl's -u/--user user:password (`date -u +%H:%M`, say, is no credential).
        const onCommandLine = code
            .flatMap((piece) => piece.split("\n"))
            .filter((line) => /\bcurl\b/.test(line))
            .flatMap((line) => [...line.matchAll(/(?:-u|--user)[ =]+"?[^"\s:]+:[^"\s]+[^\n]*/g)].map((match) => match[0]));
        assert.deepStrictEqual(onCommandLine, []);
        const adminCalls = code
            .flatMap((piece) => piece.split("\n"))
            .filter((line) => line.includes("$ADMIN_PASSWORD") && /\bcurl\b/.test(line));
        assert.strictEqual(adminCalls.length, 4, adminCalls.join("\n"));
        for (const line of adminCalls) {
            assert.match(line, /curl -s -K - <<<"user = \\"admin@fake\.com:\$ADMIN_PASSWORD\\"" "\$URL\/api\/instance"/);
        }
        assert.deepStrictEqual(
            code.filter((piece) => /adminPassword=/.test(piece)),
            [],
        );
    });

    it("walks the lesson in order: stack and config, up, healthy targets, the API, stickiness, scale out, tear down", function () {
        const steps = [
            /pulumi stack init/,
            /pulumi config set --secret api-cluster:adminPassword/,
            /pulumi up --policy-pack policy-pack --policy-pack-config policy-pack\/config\.dev\.json/,
            /aws elbv2 wait target-in-service --target-group-arn "\$\(pulumi stack output targetGroupArn\)"/,
            /curl -s "\$URL\/health"/,
            /curl -s -K - <<<"user = \\"admin@fake\.com:\$ADMIN_PASSWORD\\"" "\$URL\/api\/instance"/,
            /curl -s -c jar\.txt -b jar\.txt "\$URL\/api\/session\/counter"/,
            /pulumi config set --path 'api-cluster:stickiness\.enabled' true/,
            /pulumi config set api-cluster:instanceCount \d+/,
            /pulumi destroy/,
        ];
        let from = 0;
        for (const step of steps) {
            const at = deploying.slice(from).search(step);
            assert.ok(at >= 0, `${step} missing, or out of order`);
            from += at;
        }
        assert.match(deploying, /20 to 40 minutes/, "say how long the AMI bake takes");
        assert.match(deploying, /aws ssm get-parameter --name "\$\(pulumi stack output adminPasswordParameterName\)"/);
    });

    it("documents the local backend, the OIDC trust policy and the roles' permissions", function () {
        assert.match(all, /pulumi login --local/);
        const json = files.flatMap((file) => codeBlocks(file.text)).filter((block) => block.lang === "json");
        const documents = json.map((block) => JSON.parse(block.code) as { Statement?: Record<string, unknown>[] });
        const trust = documents.filter((document) => document.Statement?.some((s) => s.Action === "sts:AssumeRoleWithWebIdentity"));
        assert.ok(trust.length > 0, "no OIDC trust policy");
        for (const document of trust) {
            for (const statement of document.Statement ?? []) {
                const condition = statement.Condition as { StringEquals?: Record<string, string> } | undefined;
                assert.strictEqual(condition?.StringEquals?.["token.actions.githubusercontent.com:aud"], "sts.amazonaws.com");
                assert.match(
                    condition?.StringEquals?.["token.actions.githubusercontent.com:sub"] ?? "",
                    /^repo:[^:]+:(environment:[a-z]+|pull_request)$/,
                );
            }
        }
        const permissions = documents.filter((document) => !trust.includes(document));
        assert.ok(permissions.length > 0, "no permissions policy for the role");
        for (const statement of permissions.flatMap((document) => document.Statement ?? [])) {
            assert.notDeepStrictEqual(statement.Action, "*", "a permissions policy allows every action");
        }
    });

    it("compares the environments as the stack files set them", function () {
        const tables = files.flatMap((file) => environmentTables(file.text));
        assert.ok(tables.length > 0, "no | | dev | staging | prod | table");
        const onOff = (value: unknown) => (value === true ? "on" : "off");
        for (const rows of tables) {
            ["dev", "staging", "prod"].forEach((stack, i) => {
                const cell = (label: string) => rows.get(label)?.[i];
                const expected: Record<string, string> = {
                    instances: `${String(stackSetting(stack, "instanceCount"))} × ${String(stackSetting(stack, "instanceType"))}`,
                    "availability zones": String(stackSetting(stack, "availabilityZoneCount")),
                    "deletion protection": onOff(stackSetting(stack, "deletionProtection")),
                    stickiness: onOff(stackSetting(stack, "stickiness.enabled")),
                    fleet: String(stackSetting(stack, "fleet")),
                };
                for (const [label, value] of Object.entries(expected)) {
                    if (rows.has(label)) {
                        assert.strictEqual(cell(label), value, `${stack}: ${label}`);
                    }
                }
                if (rows.has("network")) {
                    const network = stackSetting(stack, "network") === "dedicated" ? /^dedicated VPC/ : /^default VPC/;
                    assert.match(cell("network") ?? "", network, `${stack}: network`);
                }
            });
        }
    });
});
