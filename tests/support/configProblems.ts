/** What the stack config reader says of a config, for tests of its rules. */
import { readStackSettings } from "../../components/config/stackConfig";
import { SettingsError } from "../../components/config/validate";

/** The problems readStackSettings reports for `config` (keys without the namespace), or [] when it passes. */
export function problemsOf(config: Record<string, string>): string[] {
    const full = Object.fromEntries(Object.entries(config).map(([key, value]) => [`api-cluster:${key}`, value]));
    try {
        readStackSettings(full);
        return [];
    } catch (err) {
        if (err instanceof SettingsError) {
            return err.problems;
        }
        throw err;
    }
}
