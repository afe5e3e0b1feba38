import { describe, expect, it } from "vitest";
import { jsonHead } from "./jsonHead.js";
import { keptText, readKept } from "./keptText.js";
import { jsonRedactorFor } from "./redactSecrets.js";

const nothing = { redact: (t: string) => t, reach: 0 };

describe("kept text", () => {
  it("a text within the cap is kept whole and read back as its document", () => {
    const stored = keptText(['{"payload":', '{"a":1}', "}"], 19, { bytes: 100, ...nothing });
    expect(stored).toBe('{"payload":{"a":1}}');
    expect(readKept(stored)).toEqual({ payload: { a: 1 } });
  });

  it("a longer text is cut at the cap on a whole character, and says how big it was", () => {
    const text = `{"value":"${"é".repeat(100)}"}`;
    const stored = keptText([text], Buffer.byteLength(text), { bytes: 50, ...nothing });
    const read = readKept(stored) as { truncated: boolean; bytes: number; text: string };
    expect(read).toMatchObject({ truncated: true, bytes: Buffer.byteLength(text) });
    expect(Buffer.byteLength(read.text)).toBeLessThanOrEqual(50);
    expect(Buffer.byteLength(read.text)).toBeGreaterThanOrEqual(49);
    expect(text.startsWith(read.text)).toBe(true);
  });

  it("a secret across the cut is hidden whole, not left half shown", () => {
    const secret = "abcdefghijklmnop";
    const keep = { bytes: 20, ...jsonRedactorFor({ KEY: secret }) };
    const text = `{"payload":"xx${secret}yy"}`;
    const read = readKept(keptText([text], text.length, keep)) as { text: string };
    expect(read.text).toBe('{"payload":"xx[secre');
    expect(read.text).not.toContain("abc");
  });

  it("a secret is hidden also where JSON escapes it", () => {
    const secret = 'pa"ss\\word';
    const { redact } = jsonRedactorFor({ KEY: secret });
    expect(redact(JSON.stringify({ k: secret }))).toBe('{"k":"[secret]"}');
  });

  it("a value's JSON head is the start of JSON.stringify, as long as asked", () => {
    const value = { a: [1, "two", null, true, { b: "x".repeat(50) }], c: undefined, d: new Date(0), e: 1.5 };
    const whole = JSON.stringify(value);
    expect(jsonHead(value, 10_000)).toBe(whole);
    for (const n of [1, 5, 17, 40, 80]) {
      const head = jsonHead(value, n);
      expect(head.length).toBeGreaterThanOrEqual(Math.min(n, whole.length));
      expect(whole.startsWith(head.slice(0, n))).toBe(true);
    }
    const huge = jsonHead({ s: "y".repeat(1_000_000) }, 100);
    expect(huge.length).toBeLessThan(200);
  });
});
