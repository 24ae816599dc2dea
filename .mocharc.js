/**
 * Mocha's settings. `npm test` runs every test file; `npx mocha tests/x.test.ts` runs only the files
 * it names (a spec in a static .mocharc.json is added to the command line's files, so naming one
 * file ran the whole suite).
 */
const namedFiles = process.argv.slice(2).filter((arg) => /\.test\.ts$/.test(arg));

module.exports = {
    require: ["ts-node/register/transpile-only", "./tests/support/offlineMaven.ts"],
    extension: ["ts"],
    spec: namedFiles.length > 0 ? [] : ["tests/**/*.test.ts"],
    timeout: 60000,
    recursive: true,
};
