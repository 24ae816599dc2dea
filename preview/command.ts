/**
 * How `npm run preview:offline` starts the CLI: node with the transpile cache (transpileCache.js)
 * and preview/cli.ts, from the repository's root. The tests and the benchmark run exactly this.
 */
export const PREVIEW_NODE_ARGS = ["-r", "./preview/transpileCache.js", "preview/cli.ts"];
