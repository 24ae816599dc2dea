/**
 * How the API's jar is started: the one rule the image's systemd unit and a local run share.
 */
import { AppSettings } from "../config/schema";

/**
 * The `java` arguments that start the app from `jarPath`: its JVM options, then `-jar <jar>`, or
 * `-cp <jar> <mainClass>` when the app names a main class (for a jar whose manifest has none).
 */
export function javaLaunchArgs(app: AppSettings, jarPath: string): string[] {
    const target = app.mainClass === undefined ? ["-jar", jarPath] : ["-cp", jarPath, app.mainClass];
    return [...app.jvmOptions, ...target];
}
