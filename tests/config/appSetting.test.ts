import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { appPathProblem, resolveAppPath } from "../../components/app/appPath";
import { AppSettings, AppSource } from "../../components/config/schema";
import { readStackSettings } from "../../components/config/stackConfig";
import { SettingsError, resolveSettings } from "../../components/config/validate";
import { writeJar, writeZip } from "../support/zipFile";

/** The tests run from the repository's root, the project root that relative paths are taken from. */
const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** The problems the stack config `api-cluster:app` = `app` (as JSON, or a raw string) gives, with `others` set too. */
function problemsOf(app: unknown, others: Record<string, string> = {}): string[] {
    try {
        readStackSettings({ "api-cluster:app": typeof app === "string" ? app : JSON.stringify(app), ...others });
        return [];
    } catch (err) {
        if (err instanceof SettingsError) return err.problems;
        throw err;
    }
}

describe("api-cluster:app", () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-app-setting-"));
    const notAJar = path.join(work, "notes.jar");
    const jar = path.join(work, "api.jar");
    fs.writeFileSync(notAJar, "not a zip");
    writeJar(jar, { "Main-Class": "com.example.api.Main" });
    after(() => fs.rmSync(work, { recursive: true, force: true }));

    it("defaults to the reference Maven project in app/ on Java 17, started with -jar", () => {
        assert.deepStrictEqual(readStackSettings({}).settings.app, {
            source: "maven",
            path: "app",
            javaVersion: 17,
            jvmOptions: [],
            mainClass: undefined,
            instanceEndpoint: "/api/instance",
            protectedEndpoint: "/api/instance",
            sessionEndpoint: "/api/session/counter",
        });
        assert.strictEqual(AppSource.Maven, "maven");
        assert.strictEqual(AppSource.Jar, "jar");
    });

    it("takes every field, each left out taking its default", () => {
        const app = {
            source: "jar",
            path: jar,
            javaVersion: 21,
            jvmOptions: ["-Xmx512m", "-Dspring.profiles.active=prod", "-XX:+UseG1GC"],
            mainClass: "com.example.api.Main",
            instanceEndpoint: "/whoami",
            protectedEndpoint: "/admin",
            sessionEndpoint: "none",
        };
        assert.deepStrictEqual(readStackSettings({ "api-cluster:app": JSON.stringify(app) }).settings.app, app);
        assert.deepStrictEqual(readStackSettings({ "api-cluster:app": '{"javaVersion":21}' }).settings.app, {
            source: "maven",
            path: "app",
            javaVersion: 21,
            jvmOptions: [],
            mainClass: undefined,
            instanceEndpoint: "/api/instance",
            protectedEndpoint: "/api/instance",
            sessionEndpoint: "/api/session/counter",
        });
    });

    const cases: [string, unknown, string[]][] = [
        [
            "a source that is neither maven nor jar",
            { source: "gradle" },
            ['api-cluster:app.source must be one of maven, jar; got "gradle"'],
        ],
        ["a Java version other than 17 and 21", { javaVersion: 11 }, ["api-cluster:app.javaVersion must be one of 17, 21; got 11"]],
        [
            "a Java version given as text that is not a number",
            { javaVersion: "twenty-one" },
            ['api-cluster:app.javaVersion must be one of 17, 21; got "twenty-one"'],
        ],
        [
            "a JVM option that chooses the jar",
            { jvmOptions: ["-cp"] },
            [
                'api-cluster:app.jvmOptions[0] must not be -jar, -cp, -classpath, --class-path: the cluster chooses the jar (see app.mainClass); got "-cp"',
            ],
        ],
        [
            "a JVM option with a space, or without its dash",
            { jvmOptions: ["-Xmx1g", "-Da=b c", "Xmx1g"] },
            [
                'api-cluster:app.jvmOptions[1] must be a JVM option such as -Xmx512m or -Dspring.profiles.active=prod: a dash, then up to 99 letters, digits or _.:=+,/@-; got "-Da=b c"',
                'api-cluster:app.jvmOptions[2] must be a JVM option such as -Xmx512m or -Dspring.profiles.active=prod: a dash, then up to 99 letters, digits or _.:=+,/@-; got "Xmx1g"',
            ],
        ],
        [
            "a JVM option with a character systemd reads specially",
            { jvmOptions: ["-Dhome=$HOME"] },
            [
                'api-cluster:app.jvmOptions[0] must be a JVM option such as -Xmx512m or -Dspring.profiles.active=prod: a dash, then up to 99 letters, digits or _.:=+,/@-; got "-Dhome=$HOME"',
            ],
        ],
        [
            "seventeen JVM options",
            { jvmOptions: Array.from({ length: 17 }, (_unused, i) => `-Dx${i}=1`) },
            ["api-cluster:app.jvmOptions must hold at most 16 items; got 17"],
        ],
        [
            "JVM options that are not a list",
            { jvmOptions: "-Xmx1g" },
            ['api-cluster:app.jvmOptions must be a list of strings; got "-Xmx1g"'],
        ],
        [
            "a main class that is not a class name",
            { mainClass: "org.acme.1Greeter" },
            [
                'api-cluster:app.mainClass must be a Java class name of up to 128 characters such as com.example.api.Main; got "org.acme.1Greeter"',
            ],
        ],
        ["an unknown field", { mainclass: "x" }, ["api-cluster:app.mainclass is not a known key; did you mean mainClass?"]],
        ["an empty path", { path: "" }, ['api-cluster:app.path must be a path of 1 to 1024 characters; got ""']],
        [
            "a maven path that does not exist",
            { path: "no/such/folder" },
            [
                `api-cluster:app.path must be a Maven project folder (source maven); got "no/such/folder", which is missing at ${path.join(REPO_ROOT, "no/such/folder")}`,
            ],
        ],
        [
            "a maven path that is a file",
            { path: "package.json" },
            [
                `api-cluster:app.path must be a Maven project folder (source maven); got "package.json", which is not a folder at ${path.join(REPO_ROOT, "package.json")}`,
            ],
        ],
        [
            "a maven folder without a pom.xml",
            { path: "components" },
            [
                `api-cluster:app.path must be a Maven project folder holding a pom.xml (source maven); got "components", and ${path.join(REPO_ROOT, "components")} has no pom.xml`,
            ],
        ],
        [
            "a jar path that is a folder",
            { source: "jar", path: "app" },
            [
                `api-cluster:app.path must be a readable .jar file (source jar); got "app", which is not a file at ${path.join(REPO_ROOT, "app")}`,
            ],
        ],
        [
            "a jar path not named .jar",
            { source: "jar", path: "package.json" },
            [
                `api-cluster:app.path must be a readable .jar file (source jar); got "package.json", which is not named *.jar at ${path.join(REPO_ROOT, "package.json")}`,
            ],
        ],
        [
            "a jar that does not exist",
            { source: "jar", path: "build/api.jar" },
            [
                `api-cluster:app.path must be a readable .jar file (source jar); got "build/api.jar", which is missing at ${path.join(REPO_ROOT, "build/api.jar")}`,
            ],
        ],
        [
            "a jar that is not a zip",
            { source: "jar", path: notAJar },
            [
                `api-cluster:app.path must be a readable .jar file (source jar); got ${JSON.stringify(notAJar)}, and ${notAJar} cannot be read as a jar (zip)`,
            ],
        ],
        [
            "a value that is not an object",
            "maven",
            [
                'api-cluster:app must be an object with fields source, path, javaVersion, jvmOptions, mainClass, instanceEndpoint, protectedEndpoint, sessionEndpoint; got "maven"',
            ],
        ],
    ];
    for (const [what, app, problems] of cases) {
        it(`refuses ${what}`, () => {
            assert.deepStrictEqual(problemsOf(app), problems);
        });
    }

    it("reports every problem of the app at once, with the other keys' problems", () => {
        assert.deepStrictEqual(problemsOf({ source: "war", javaVersion: 8, mainClass: "-x" }, { "api-cluster:instanceCount": "0" }), [
            'api-cluster:app.source must be one of maven, jar; got "war"',
            "api-cluster:app.javaVersion must be one of 17, 21; got 8",
            'api-cluster:app.mainClass must be a Java class name of up to 128 characters such as com.example.api.Main; got "-x"',
            'api-cluster:instanceCount must be an integer from 1 to 100; got "0"',
        ]);
    });

    describe("a jar's Main-Class, read from its manifest before anything is built", () => {
        const noMain = path.join(work, "library.jar");
        writeJar(noMain);

        it("refuses a jar whose manifest names no Main-Class when app.mainClass is unset, naming the key and the file", () => {
            assert.deepStrictEqual(problemsOf({ source: "jar", path: noMain }), [
                `api-cluster:app.path must be a runnable jar (source jar); got ${JSON.stringify(noMain)}, and ${noMain} names no Main-Class in META-INF/MANIFEST.MF: ` +
                    "set app.mainClass to the class to run (started with -cp), or build the jar with a Main-Class",
            ]);
        });

        it("accepts that jar with app.mainClass set, since the cluster then starts it with -cp", () => {
            assert.deepStrictEqual(problemsOf({ source: "jar", path: noMain, mainClass: "com.example.api.Main" }), []);
        });

        it("reads the manifest stored or deflated, behind a zip comment, with the name in any case and a continued line", () => {
            const cases: [string, Parameters<typeof writeZip>[1], string][] = [
                ["stored", [{ name: "META-INF/MANIFEST.MF", content: "Main-Class: a.B\n" }], ""],
                ["deflated, lower case", [{ name: "META-INF/MANIFEST.MF", content: "main-class: a.B\r\n", deflate: true }], ""],
                [
                    "continued",
                    [{ name: "META-INF/MANIFEST.MF", content: "Manifest-Version: 1.0\nMain-Class: com.example.ve\n ryLongName\n" }],
                    "",
                ],
                [
                    "behind a comment",
                    [
                        { name: "x.txt", content: "x" },
                        { name: "META-INF/MANIFEST.MF", content: "Main-Class: a.B\n" },
                    ],
                    "built by hand",
                ],
            ];
            for (const [name, entries, comment] of cases) {
                const file = path.join(work, `${name.replace(/\W+/g, "-")}.jar`);
                writeZip(file, entries, comment);
                assert.deepStrictEqual(problemsOf({ source: "jar", path: file }), [], name);
            }
        });

        it("refuses a jar with no manifest, or one after the Main-Class's blank line only, naming the file", () => {
            const bare = path.join(work, "bare.jar");
            writeZip(bare, [{ name: "a/B.class", content: "x" }]);
            const sectioned = path.join(work, "sectioned.jar");
            writeZip(sectioned, [{ name: "META-INF/MANIFEST.MF", content: "Manifest-Version: 1.0\n\nName: a/B.class\nMain-Class: a.B\n" }]);
            for (const file of [bare, sectioned]) {
                assert.deepStrictEqual(problemsOf({ source: "jar", path: file }), [
                    `api-cluster:app.path must be a runnable jar (source jar); got ${JSON.stringify(file)}, and ${file} names no Main-Class in META-INF/MANIFEST.MF: ` +
                        "set app.mainClass to the class to run (started with -cp), or build the jar with a Main-Class",
                ]);
            }
        });

        it("refuses a file that starts like a zip but is cut short, saying why", () => {
            const cut = path.join(work, "cut.jar");
            fs.writeFileSync(cut, fs.readFileSync(jar).subarray(0, 40));
            assert.deepStrictEqual(problemsOf({ source: "jar", path: cut }), [
                `api-cluster:app.path must be a readable .jar file (source jar); got ${JSON.stringify(cut)}, and ${cut} cannot be read as a jar (zip): ` +
                    "it has no zip end of central directory record",
            ]);
        });
    });

    it("accepts an absolute path, a relative one from the project root, and a jar", () => {
        assert.deepStrictEqual(problemsOf({ path: path.join(REPO_ROOT, "tests", "fixtures", "greeter-api") }), []);
        assert.deepStrictEqual(problemsOf({ path: "tests/fixtures/greeter-api" }), []);
        assert.deepStrictEqual(problemsOf({ source: "jar", path: jar }), []);
        assert.strictEqual(resolveAppPath("app", REPO_ROOT), path.join(REPO_ROOT, "app"));
        assert.strictEqual(resolveAppPath(jar, "/elsewhere"), jar);
    });

    it("checks the path from the given project root", () => {
        const app: AppSettings = { source: AppSource.Maven, path: "app", javaVersion: 17, jvmOptions: [] };
        assert.strictEqual(appPathProblem(app, REPO_ROOT), undefined);
        assert.strictEqual(
            appPathProblem(app, work),
            `must be a Maven project folder (source maven); got "app", which is missing at ${path.join(work, "app")}`,
        );
    });

    it("skips the path check with amiId, since nothing is baked", () => {
        assert.deepStrictEqual(problemsOf({ path: "no/such/folder" }, { "api-cluster:amiId": "ami-0123456789abcdef0" }), []);
    });

    it("names ApiClusterArgs.app.<field> for the component's arguments", () => {
        assert.throws(
            () => resolveSettings({ app: { source: "jar", javaVersion: 21 } }, (field) => `ApiClusterArgs.${field}`),
            (err: unknown) => {
                assert.ok(err instanceof SettingsError);
                assert.deepStrictEqual(err.problems, [
                    `ApiClusterArgs.app.path must be a readable .jar file (source jar); got "app", which is not a file at ${path.join(REPO_ROOT, "app")}`,
                ]);
                return true;
            },
        );
    });
});
