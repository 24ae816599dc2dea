/**
 * A fake Pulumi CLI for the tests of scripts/check-instances.sh: `pulumi stack output --json`
 * prints $FAKE_OUTPUTS; every call is recorded in $FAKE_STATE_DIR/calls.jsonl; anything else fails.
 */
"use strict";
const fs = require("fs");
const path = require("path");

const args = process.argv.slice(2);
fs.appendFileSync(path.join(process.env.FAKE_STATE_DIR, "calls.jsonl"), `${JSON.stringify({ cli: "pulumi", args })}\n`);
if (args[0] === "stack" && args[1] === "output" && args.includes("--json")) {
    process.stdout.write(`${process.env.FAKE_OUTPUTS}\n`);
} else {
    console.error(`fake pulumi: no fake for ${JSON.stringify(args)}`);
    process.exit(255);
}
