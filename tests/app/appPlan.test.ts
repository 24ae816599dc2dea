/**
 * The offline plan of a stack follows its `api-cluster:app`: the artifact is the app's, and the Image
 * Builder component's BuildApi step builds it with Maven (a Maven project) or takes it (a jar).
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { AppSource } from "../../components/config/schema";
import { collectArtifact } from "../../components/image/artifact";
import { OfflinePreviewResult, offlinePreview } from "../../preview/offlinePreview";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const FIXTURE = path.join("tests", "fixtures", "greeter-api");

/** The one planned resource of `type`'s inputs. */
function onlyInputs(result: OfflinePreviewResult, type: string): Record<string, unknown> {
    const steps = result.plan.steps.filter((step) => step.newState.type === type);
    assert.strictEqual(steps.length, 1, type);
    return steps[0].newState.inputs;
}

/** The planned Image Builder component's steps: name to its one command. */
function componentSteps(result: OfflinePreviewResult): Record<string, string> {
    const document = YAML.parse(String(onlyInputs(result, "aws:imagebuilder/component:Component").data)) as {
        phases: { steps: { name: string; inputs: { commands: string[] } }[] }[];
    };
    return Object.fromEntries(document.phases.flatMap((phase) => phase.steps.map((step) => [step.name, step.inputs.commands[0]])));
}

/** Previews dev offline with `app` as its `api-cluster:app` (the stack file's own when undefined). */
function previewWithApp(app?: object): Promise<OfflinePreviewResult> {
    return offlinePreview({
        stack: "dev",
        skipPolicies: true,
        configOverrides: app === undefined ? {} : { "api-cluster:app": JSON.stringify(app) },
    });
}

describe("the offline plan of a stack's app", function () {
    this.timeout(120_000);

    it("builds dev's Maven project (the reference API) with Maven in the Image Builder component, from its artifact", async () => {
        const result = await previewWithApp();
        const steps = componentSteps(result);
        assert.deepStrictEqual(Object.keys(steps), [
            "InstallRuntime",
            "CreateUser",
            "FetchApi",
            "BuildApi",
            "InstallApi",
            "InstallService",
            "ValidateRuntime",
            "ValidateService",
            "TestHealth",
        ]);
        assert.match(steps.BuildApi, /^APP_SOURCE='maven'$/m);
        assert.match(steps.BuildApi, /^APP_PATH='\/var\/tmp\/api-cluster-build\/src'$/m);
        assert.match(
            steps.BuildApi,
            /^    \(cd "\$APP_PATH" && mvn "\$\{extra_args\[@\]\}" "\$\{maven_args\[@\]\}"\) \|\| fail "mvn package failed in \$APP_PATH"$/m,
        );
        assert.match(steps.InstallRuntime, /^JAVA_VERSION='17'$/m);
        assert.match(
            steps.InstallService,
            /^ExecStart=\/usr\/lib\/jvm\/api-cluster-jdk\/bin\/java -XX:\+ExitOnOutOfMemoryError -jar \/opt\/api\/api-server\.jar$/m,
        );
        const artifact = collectArtifact(AppSource.Maven, path.join(REPO_ROOT, "app"));
        assert.strictEqual(onlyInputs(result, "aws:s3/bucketObjectv2:BucketObjectv2").key, artifact.key);
        assert.match(steps.FetchApi, new RegExp(`^ARTIFACT_URI='s3://api-image-artifacts-[0-9a-f]{7}/${artifact.key}'$`, "m"));
    });

    it("follows another Maven project, Java 21, JVM options and a main class set in config", async () => {
        const result = await previewWithApp({
            path: FIXTURE,
            javaVersion: 21,
            jvmOptions: ["-Xmx256m"],
            mainClass: "org.acme.greeter.Greeter",
        });
        const steps = componentSteps(result);
        assert.match(steps.BuildApi, /^APP_SOURCE='maven'$/m);
        assert.match(steps.BuildApi, /^MAIN_CLASS='org\.acme\.greeter\.Greeter'$/m);
        assert.match(steps.InstallRuntime, /^JAVA_VERSION='21'$/m);
        assert.match(
            steps.InstallService,
            /^ExecStart=\/usr\/lib\/jvm\/api-cluster-jdk\/bin\/java -XX:\+ExitOnOutOfMemoryError -Xmx256m -cp \/opt\/api\/api-server\.jar org\.acme\.greeter\.Greeter$/m,
        );
        const artifact = collectArtifact(AppSource.Maven, path.join(REPO_ROOT, FIXTURE));
        assert.strictEqual(onlyInputs(result, "aws:s3/bucketObjectv2:BucketObjectv2").key, artifact.key);
        assert.strictEqual(
            onlyInputs(result, "aws:imagebuilder/component:Component").description,
            "Corretto 21, Maven, the api-cluster REST API and its hardened systemd unit",
        );
    });

    it("takes a jar as it is: the artifact holds the jar, and BuildApi copies it", async () => {
        const directory = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-plan-jar-"));
        try {
            const jar = path.join(directory, "api.jar");
            const packed = spawnSync(
                "jar",
                ["--create", "--file", jar, "--main-class", "org.acme.greeter.Greeter", "-C", path.join(REPO_ROOT, FIXTURE), "pom.xml"],
                {
                    encoding: "utf8",
                },
            );
            assert.strictEqual(packed.status, 0, packed.stderr);
            const result = await previewWithApp({ source: "jar", path: jar });
            const steps = componentSteps(result);
            assert.match(steps.BuildApi, /^APP_SOURCE='jar'$/m);
            assert.match(steps.BuildApi, /^APP_PATH='\/var\/tmp\/api-cluster-build\/src\/app\.jar'$/m);
            assert.strictEqual(onlyInputs(result, "aws:s3/bucketObjectv2:BucketObjectv2").key, collectArtifact(AppSource.Jar, jar).key);
        } finally {
            fs.rmSync(directory, { recursive: true, force: true });
        }
    });
});
