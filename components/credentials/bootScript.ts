/**
 * Renders the API instances' boot script (user data) from boot.sh. It carries the parameter's
 * name, never the password: each instance reads the password itself with its instance role.
 */
import * as fs from "fs";
import * as path from "path";

/** The boot script template, a real file that shellcheck checks. */
export const BOOT_SCRIPT_PATH = path.join(__dirname, "boot.sh");

/** Values the boot script needs. */
export interface BootScriptArgs {
    /** Name of the SSM SecureString parameter holding the admin password. */
    parameterName: string;
    /** HTTP Basic username of the admin user. */
    adminUsername: string;
    /** Port the API listens on. */
    appPort: number;
}

/** `value` for use inside a single-quoted shell word. */
function insideSingleQuotes(value: string): string {
    return value.replace(/'/g, `'\\''`);
}

/** Renders boot.sh with `args` filled in. */
export function renderBootScript(args: BootScriptArgs): string {
    if (!/^\/[A-Za-z0-9_.\-/]+$/.test(args.parameterName)) {
        throw new Error(`boot script: parameterName must be an SSM parameter path, got ${JSON.stringify(args.parameterName)}`);
    }
    if (args.adminUsername.length === 0 || /[\u0000-\u001f\u007f]/.test(args.adminUsername)) {
        throw new Error("boot script: adminUsername must be non-empty and free of control characters");
    }
    if (!Number.isInteger(args.appPort) || args.appPort < 1 || args.appPort > 65535) {
        throw new Error(`boot script: appPort must be an integer from 1 to 65535, got ${args.appPort}`);
    }
    const values: Record<string, string> = {
        "@@PARAMETER_NAME@@": args.parameterName,
        "@@ADMIN_USERNAME@@": args.adminUsername,
        "@@APP_PORT@@": String(args.appPort),
    };
    const template = fs.readFileSync(BOOT_SCRIPT_PATH, "utf8");
    const rendered = template.replace(/@@[A-Z_]+@@/g, (placeholder) => {
        const value = values[placeholder];
        if (value === undefined) {
            throw new Error(`boot script: boot.sh has an unknown placeholder ${placeholder}`);
        }
        return insideSingleQuotes(value);
    });
    return rendered;
}
