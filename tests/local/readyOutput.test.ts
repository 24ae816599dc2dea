/** local's ready line and instance table: written by instanceTable, read back by parseReadyOutput by the header's names. */
import * as assert from "assert";
import { instanceTable, parseReadyOutput } from "../../local/readyOutput";

const INSTANCES = [
    { instanceId: "local-0", zone: "local-a", port: 40123, pid: 81234 },
    { instanceId: "local-1", zone: "local-b", port: 40125, pid: 81236 },
    { instanceId: "local-10", zone: "local-a", port: 40127, pid: 9 },
];

describe("local's ready output", function () {
    it("prints the table under an INSTANCE ZONE PORT PID header, columns padded", function () {
        assert.strictEqual(
            instanceTable(INSTANCES),
            [
                "INSTANCE  ZONE     PORT   PID",
                "local-0   local-a  40123  81234",
                "local-1   local-b  40125  81236",
                "local-10  local-a  40127  9",
            ].join("\n"),
        );
    });

    it("reads back the URL and every row it printed", function () {
        assert.deepStrictEqual(parseReadyOutput(`ready: http://127.0.0.1:8082\n${instanceTable(INSTANCES)}\n`, 3), {
            url: "http://127.0.0.1:8082",
            instances: INSTANCES,
        });
    });

    it("reads the cells by the header's column names, whatever their order", function () {
        const stdout = "ready: http://127.0.0.1:9000\nPID  PORT   ZONE     INSTANCE\n77   40001  local-b  local-0\n";
        assert.deepStrictEqual(parseReadyOutput(stdout, 1), {
            url: "http://127.0.0.1:9000",
            instances: [{ instanceId: "local-0", zone: "local-b", port: 40001, pid: 77 }],
        });
    });

    it("is undefined until the ready line and every row have arrived, up to the last newline", function () {
        const full = `ready: http://127.0.0.1:8082\n${instanceTable(INSTANCES)}\n`;
        assert.strictEqual(parseReadyOutput("", 3), undefined);
        assert.strictEqual(parseReadyOutput("building the API\n", 3), undefined);
        assert.strictEqual(parseReadyOutput(full.slice(0, -1), 3), undefined);
        assert.strictEqual(parseReadyOutput(full, 4), undefined);
    });

    it("refuses a table without the header's columns, or a row with a missing or non-numeric cell", function () {
        assert.throws(
            () => parseReadyOutput("ready: http://x\nlocal-0  local-a  40123  81234\nlocal-1  local-b  40125  81236\n", 1),
            /^Error: the line after ready: is not the instance table's header \(INSTANCE ZONE PORT PID\): local-0  local-a  40123  81234$/,
        );
        assert.throws(
            () => parseReadyOutput("ready: http://x\nINSTANCE  ZONE  PORT  PID\nlocal-0  local-a  40123\n", 1),
            /^Error: not a row of the instance table: local-0  local-a  40123$/,
        );
        assert.throws(
            () => parseReadyOutput("ready: http://x\nINSTANCE  ZONE  PORT  PID\nlocal-0  local-a  port  81234\n", 1),
            /^Error: not a row of the instance table: local-0  local-a  port  81234$/,
        );
    });
});
