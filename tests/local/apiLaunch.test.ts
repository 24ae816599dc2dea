import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { collectArtifact } from "../../components/image/artifact";
import { AppSettings, AppSource } from "../../components/config/schema";
import { SettingsError } from "../../components/config/validate";
import { LOCAL_BUILD_DIRECTORY, localJarName, prepareApiLaunch } from "../../local/apiLaunch";
import { writeJar } from "../support/zipFile";

/** The local jar cache: none of these build, so none starts Java. */
describe("the local cluster's jar cache", () => {
    let project: string;
    let plainJar: string;
    const app = (mainClass?: string): AppSettings => ({
        source: AppSource.Jar,
        path: "plain.jar",
        javaVersion: 17,
        jvmOptions: ["-Xmx256m"],
        ...(mainClass === undefined ? {} : { mainClass }),
    });

    beforeEach(() => {
        project = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-jar-cache-"));
        fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: api-cluster\nruntime: nodejs\n");
        plainJar = path.join(project, "plain.jar");
        writeJar(plainJar);
    });
    afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

    /** Puts a jar in the cache where a build for `settings` would have left it. */
    function cached(settings: AppSettings): string {
        const jar = path.join(project, LOCAL_BUILD_DIRECTORY, localJarName(settings, collectArtifact(settings.source, plainJar).sha256));
        fs.mkdirSync(path.dirname(jar), { recursive: true });
        fs.copyFileSync(plainJar, jar);
        return jar;
    }

    it("names a cached jar by the sources, the source kind, app.mainClass and app.javaVersion: another main class or Java is another build", () => {
        const { sha256 } = collectArtifact(AppSource.Jar, plainJar);
        assert.strictEqual(localJarName(app("a.Main"), sha256), localJarName(app("a.Main"), sha256));
        assert.notStrictEqual(localJarName(app("a.Main"), sha256), localJarName(app(), sha256));
        assert.notStrictEqual(localJarName(app("a.Main"), sha256), localJarName(app("b.Main"), sha256));
        assert.notStrictEqual(localJarName(app(), sha256), localJarName(app(), "0".repeat(64)));
        assert.notStrictEqual(localJarName(app(), sha256), localJarName({ ...app(), javaVersion: 21 }, sha256));
        assert.match(localJarName(app(), sha256), /^jar-[0-9a-f]{20}\.jar$/);
    });

    it("starts the jar cached for that main class with -cp, building nothing", async () => {
        const jar = cached(app("com.example.Main"));
        const launch = await prepareApiLaunch(app("com.example.Main"), project);
        assert.deepStrictEqual(launch.args.slice(-4), ["-Xmx256m", "-cp", jar, "com.example.Main"]);
    });

    it("refuses the jar without Main-Class once app.mainClass is unset, though a jar built with it is cached", async () => {
        cached(app("com.example.Main"));
        await assert.rejects(prepareApiLaunch(app(), project), (err: unknown) => {
            assert.ok(err instanceof SettingsError);
            assert.deepStrictEqual(err.problems, [
                `api-cluster:app.path must be a runnable jar (source jar); got "plain.jar", and ${plainJar} names no Main-Class in META-INF/MANIFEST.MF: ` +
                    "set app.mainClass to the class to run (started with -cp), or build the jar with a Main-Class",
            ]);
            return true;
        });
    });
});
