/**
 * The Spring Boot example (examples/spring-boot-api) as the bake and the local cluster build and
 * run it: build-app.sh against Maven Central with an empty Maven repository (cold: every download)
 * and with ~/.m2 filled (warm); `java -jar` to its listening line; and `npm run local` with 3 of
 * its instances to `ready:`, once as it comes (building the jar unless .build/local has it) and
 * once with the jar built. Reports, never asserts; whatever it starts, it stops.
 */
import * as fs from "fs";
import * as path from "path";
import { ONLINE_MAVEN_ENV } from "../tests/support/onlineMaven";
import { EXAMPLE_PATH, buildExample, exampleWorkDir, startExample, stopExample } from "../tests/support/springBootExample";
import { benchReady } from "./localCluster";

/** What the Spring Boot bench measured, in seconds. */
export interface SpringBootBench {
    /** build-app.sh with an empty Maven repository. */
    coldBuild: number;
    /** build-app.sh with ~/.m2 filled. */
    warmBuild: number;
    /** `java -jar` to the listening line, the median of `startRuns`. */
    start: number;
    /** How many starts the median is of. */
    startRuns: number;
    /** `npm run local` with 3 Boot instances to `ready:`, as it comes (a first run builds the jar). */
    readyFirst: number;
    /** The same with the jar already in .build/local. */
    readyBuilt: number;
}

/** The bench's admin password, in the environment of what it starts. */
const PASSWORD = "bench-password-0123456";

/** Median of a list of numbers. */
function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs every measurement of the Spring Boot example once (its starts `startRuns` times). */
export async function benchSpringBoot(startRuns = 3): Promise<SpringBootBench> {
    const work = exampleWorkDir();
    try {
        const coldBuild = (await buildExample(path.join(work, "cold.jar"), 17, { mavenRepoLocal: path.join(work, "empty-m2") })).seconds;
        fs.rmSync(path.join(work, "empty-m2"), { recursive: true, force: true });
        await buildExample(path.join(work, "fill.jar"), 17); // fills ~/.m2 when it is empty, untimed
        const warm = await buildExample(path.join(work, "warm.jar"), 17);
        const starts: number[] = [];
        for (let run = 0; run < startRuns; run++) {
            const app = await startExample(warm.jar, work, { ADMIN_PASSWORD: PASSWORD, INSTANCE_ID: `bench-${run}` });
            starts.push(app.startSeconds);
            await stopExample(app);
        }
        const settings = [`api-cluster:app.path=${EXAMPLE_PATH}`];
        const env = { ...ONLINE_MAVEN_ENV, ADMIN_PASSWORD: PASSWORD };
        const readyFirst = await benchReady(settings, { env });
        const readyBuilt = await benchReady(settings, { env });
        return { coldBuild, warmBuild: warm.seconds, start: median(starts), startRuns, readyFirst, readyBuilt };
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}
