import * as assert from "assert";
import {
    IpFamily,
    blockSize,
    coversPublicAddress,
    coversWholeInternet,
    formatAddress,
    parseCidr,
    publicRanges,
    widestPublicRange,
} from "../../../policy-pack/policies/shared/cidr";

/** Parses each text, failing the test on one that does not parse. */
function blocks(...texts: string[]) {
    return texts.map((text) => {
        const block = parseCidr(text);
        assert.ok(block, `${text} parses`);
        return block;
    });
}

describe("the CIDR helper", () => {
    describe("parseCidr", () => {
        it("reads an IPv4 block as the range it covers", () => {
            assert.deepStrictEqual(parseCidr("203.0.113.0/24"), {
                family: 4,
                first: 0xcb007100n,
                last: 0xcb0071ffn,
                prefix: 24,
                hostBitsSet: false,
            });
        });

        it("clears host bits and says they were set", () => {
            const block = parseCidr("10.1.2.3/8");
            assert.strictEqual(block?.first, 0x0a000000n);
            assert.strictEqual(block?.last, 0x0affffffn);
            assert.strictEqual(block?.hostBitsSet, true);
        });

        it("reads compressed IPv6, the unspecified block and an embedded IPv4 tail", () => {
            assert.deepStrictEqual(
                [parseCidr("2001:db8::/32"), parseCidr("::/0"), parseCidr("::ffff:192.0.2.0/120")].map((b) => b && [b.first, b.last]),
                [
                    [0x20010db8n << 96n, (0x20010db8n << 96n) | ((1n << 96n) - 1n)],
                    [0n, (1n << 128n) - 1n],
                    [0xffffc0000200n, 0xffffc00002ffn],
                ],
            );
        });

        for (const text of [
            "10.0.0.0",
            "10.0.0.256/8",
            "10.0.0.0/33",
            "1::2::3/64",
            "2001:db8::/129",
            "1:2:3:4:5:6:7/64",
            "",
            "a.b.c.d/8",
        ]) {
            it(`refuses ${JSON.stringify(text)}`, () => {
                assert.strictEqual(parseCidr(text), undefined);
            });
        }
    });

    describe("coversPublicAddress", () => {
        const cases: [string, boolean][] = [
            ["10.0.0.0/8", false],
            ["172.16.0.0/12", false],
            ["192.168.4.0/24", false],
            ["127.0.0.1/32", false],
            ["169.254.169.254/32", false],
            ["100.64.0.0/10", false],
            ["203.0.113.7/32", true],
            ["172.32.0.0/16", true],
            ["0.0.0.0/0", true],
            ["fd00::/8", false],
            ["fe80::/10", false],
            ["::1/128", false],
            ["2001:db8::/32", true],
            ["::/0", true],
        ];
        for (const [text, expected] of cases) {
            it(`says ${text} ${expected ? "covers" : "covers no"} public address`, () => {
                assert.strictEqual(coversPublicAddress(blocks(text)[0]), expected);
            });
        }
    });

    describe("coversWholeInternet", () => {
        it("sees 0.0.0.0/0 written whole, split in halves, or without the private ranges", () => {
            assert.strictEqual(coversWholeInternet(blocks("0.0.0.0/0"), IpFamily.V4), true);
            assert.strictEqual(coversWholeInternet(blocks("0.0.0.0/1", "128.0.0.0/1"), IpFamily.V4), true);
            const everyPublicRange = blocks(
                "0.0.0.0/5",
                "8.0.0.0/7",
                "11.0.0.0/8",
                "12.0.0.0/6",
                "16.0.0.0/4",
                "32.0.0.0/3",
                "64.0.0.0/3",
                "96.0.0.0/6",
            );
            assert.strictEqual(coversWholeInternet(everyPublicRange, IpFamily.V4), false, "stops at 100.0.0.0");
            const rest = blocks(
                "100.0.0.0/10",
                "100.128.0.0/9",
                "101.0.0.0/8",
                "102.0.0.0/7",
                "104.0.0.0/5",
                "112.0.0.0/5",
                "120.0.0.0/6",
                "124.0.0.0/7",
                "126.0.0.0/8",
                "128.0.0.0/1",
            );
            assert.strictEqual(coversWholeInternet([...everyPublicRange, ...rest], IpFamily.V4), true);
        });

        it("does not count a gap of one public address as the whole internet", () => {
            assert.strictEqual(
                coversWholeInternet(
                    blocks(
                        "0.0.0.0/1",
                        "128.0.0.0/2",
                        "192.0.0.0/3",
                        "224.0.0.0/4",
                        "240.0.0.0/5",
                        "248.0.0.0/6",
                        "252.0.0.0/7",
                        "254.0.0.0/8",
                        "255.0.0.0/9",
                        "255.128.0.0/10",
                        "255.192.0.0/11",
                        "255.224.0.0/12",
                        "255.240.0.0/13",
                        "255.248.0.0/14",
                        "255.252.0.0/15",
                        "255.254.0.0/16",
                        "255.255.0.0/17",
                        "255.255.128.0/18",
                        "255.255.192.0/19",
                        "255.255.224.0/20",
                        "255.255.240.0/21",
                        "255.255.248.0/22",
                        "255.255.252.0/23",
                        "255.255.254.0/24",
                        "255.255.255.0/25",
                        "255.255.255.128/26",
                        "255.255.255.192/27",
                        "255.255.255.224/28",
                        "255.255.255.240/29",
                        "255.255.255.248/30",
                        "255.255.255.252/31",
                        "255.255.255.254/32",
                    ),
                    IpFamily.V4,
                ),
                false,
            );
        });

        it("judges each family on its own blocks", () => {
            assert.strictEqual(coversWholeInternet(blocks("0.0.0.0/0"), IpFamily.V6), false);
            assert.strictEqual(coversWholeInternet(blocks("::/1", "8000::/1"), IpFamily.V6), true);
        });
    });

    describe("publicRanges and widestPublicRange", () => {
        it("cuts the private, loopback, link-local and CGNAT ranges out of 0.0.0.0/0", () => {
            const ranges = publicRanges(blocks("0.0.0.0/0"), IpFamily.V4).map(
                (r) => `${formatAddress(r.first, 4)}-${formatAddress(r.last, 4)}`,
            );
            assert.deepStrictEqual(ranges, [
                "0.0.0.0-9.255.255.255",
                "11.0.0.0-100.63.255.255",
                "100.128.0.0-126.255.255.255",
                "128.0.0.0-169.253.255.255",
                "169.255.0.0-172.15.255.255",
                "172.32.0.0-192.167.255.255",
                "192.169.0.0-255.255.255.255",
            ]);
        });

        it("merges adjacent blocks into one run", () => {
            assert.strictEqual(widestPublicRange(blocks("203.0.112.0/24", "203.0.113.0/24"), IpFamily.V4), 512n);
            assert.strictEqual(widestPublicRange(blocks("203.0.112.0/24", "203.0.114.0/24"), IpFamily.V4), 256n);
            assert.strictEqual(widestPublicRange(blocks("10.0.0.0/8"), IpFamily.V4), 0n);
            assert.strictEqual(blockSize(IpFamily.V4, 16), 65536n);
            assert.strictEqual(widestPublicRange(blocks("198.18.0.0/16", "198.19.0.0/17"), IpFamily.V4), 65536n + 32768n);
        });
    });

    it("formats IPv6 addresses group by group", () => {
        assert.strictEqual(formatAddress(parseCidr("2001:db8::1/128")!.first, IpFamily.V6), "2001:db8:0:0:0:0:0:1");
    });
});
