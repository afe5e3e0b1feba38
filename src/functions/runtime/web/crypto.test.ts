import { createHash, createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { timingSafeEqual } from "./subtle.js";
import { createWebIsolate, type WebIsolate } from "./testing/webIsolate.js";

let web: WebIsolate;

beforeAll(async () => {
  web = await createWebIsolate({
    fetchPolicy: { allow: [], timeoutMs: 1000, maxResponseBytes: 1000 },
    signal: new AbortController().signal,
  });
});

afterAll(() => web.dispose());

const hex = (bytes: number[]) => Buffer.from(bytes).toString("hex");

describe("crypto.subtle", () => {
  it("digests the same as node:crypto", async () => {
    const out = await web.run<Record<string, number[]>>(`
      const data = new TextEncoder().encode("héllo wörld");
      const result = {};
      for (const name of ["SHA-1", "SHA-256", "SHA-384", "SHA-512"]) {
        result[name] = [...new Uint8Array(await crypto.subtle.digest(name, data))];
      }
      result.object = [...new Uint8Array(await crypto.subtle.digest({ name: "sha-256" }, data.buffer))];
      return result;`);
    for (const [name, node] of [
      ["SHA-1", "sha1"],
      ["SHA-256", "sha256"],
      ["SHA-384", "sha384"],
      ["SHA-512", "sha512"],
    ] as const) {
      expect(hex(out[name]!)).toBe(createHash(node).update("héllo wörld").digest("hex"));
    }
    expect(hex(out.object!)).toBe(createHash("sha256").update("héllo wörld").digest("hex"));
  });

  it("signs HMAC like node:crypto and verifies, for every hash", async () => {
    const out = await web.run<Record<string, [number[], boolean, boolean]>>(`
      const enc = new TextEncoder();
      const result = {};
      for (const hash of ["SHA-1", "SHA-256", "SHA-384", "SHA-512"]) {
        const key = await crypto.subtle.importKey("raw", enc.encode("s3cret"), { name: "HMAC", hash }, false, ["sign", "verify"]);
        const sig = await crypto.subtle.sign("HMAC", key, enc.encode("message"));
        result[hash] = [[...new Uint8Array(sig)],
          await crypto.subtle.verify("HMAC", key, sig, enc.encode("message")),
          await crypto.subtle.verify("HMAC", key, sig, enc.encode("messagE"))];
      }
      return result;`);
    for (const [hash, node] of [
      ["SHA-1", "sha1"],
      ["SHA-256", "sha256"],
      ["SHA-384", "sha384"],
      ["SHA-512", "sha512"],
    ] as const) {
      const [signature, valid, tampered] = out[hash]!;
      expect(hex(signature)).toBe(createHmac(node, "s3cret").update("message").digest("hex"));
      expect([valid, tampered]).toEqual([true, false]);
    }
  });

  it("verifies a Stripe-style webhook signature over the raw body and rejects a tampered body", async () => {
    const secret = "whsec_test_123";
    const body = '{"id":"evt_1","type":"payment_intent.succeeded","amount":1000}';
    const timestamp = "1700000000";
    const signature = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
    const handler = `
      async function verifyWebhook(req, secret) {
        const header = req.headers.get("stripe-signature") ?? "";
        const parts = Object.fromEntries(header.split(",").map((p) => p.split("=")));
        const raw = await req.text();
        const enc = new TextEncoder();
        const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
        const expected = Uint8Array.from(parts.v1.match(/../g).map((h) => parseInt(h, 16)));
        return crypto.subtle.verify("HMAC", key, expected, enc.encode(parts.t + "." + raw));
      }
      const make = (body) => new Request("https://app.example/functions/stripe", {
        method: "POST",
        headers: { "content-type": "application/json", "stripe-signature": "t=${timestamp},v1=${signature}" },
        body,
      });`;
    const out = await web.run(`${handler}
      return [
        await verifyWebhook(make(${JSON.stringify(body)}), "${secret}"),
        await verifyWebhook(make(${JSON.stringify(body.replace("1000", "9000"))}), "${secret}"),
        await verifyWebhook(make(${JSON.stringify(body)}), "wrong secret"),
      ];`);
    expect(out).toEqual([true, false, false]);
  });

  it("verifies a GitHub-style sha256= signature of the raw bytes", async () => {
    const body = Buffer.from('{"action":"opened","number":1}');
    const signature = `sha256=${createHmac("sha256", "gh-secret").update(body).digest("hex")}`;
    const out = await web.run(`
      const raw = new Uint8Array(${JSON.stringify([...body])});
      const req = new Request("https://app.example/hook", { method: "POST", body: raw, headers: { "x-hub-signature-256": "${signature}" } });
      const bytes = await req.arrayBuffer();
      const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("gh-secret"), { name: "HMAC", hash: { name: "SHA-256" } }, false, ["sign"]);
      const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes));
      const computed = "sha256=" + [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
      return computed === req.headers.get("x-hub-signature-256");`);
    expect(out).toBe(true);
  });

  it("imports and exports jwk and raw keys, generates keys, and refuses misuse", async () => {
    const out = await web.run(`
      const enc = new TextEncoder();
      const raw = await crypto.subtle.importKey("raw", enc.encode("key"), { name: "HMAC", hash: "SHA-256" }, true, ["sign"]);
      const jwk = await crypto.subtle.exportKey("jwk", raw);
      const back = await crypto.subtle.importKey("jwk", jwk, { name: "HMAC", hash: "SHA-256" }, true, ["sign"]);
      const same = new Uint8Array(await crypto.subtle.exportKey("raw", back));
      const generated = await crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-512" }, false, ["sign", "verify"]);
      const nameOf = (p) => p.then(() => "ok", (e) => e.name);
      return {
        jwk, same: new TextDecoder().decode(same), raw: [raw.type, raw.extractable, raw.algorithm, raw.usages, raw instanceof CryptoKey],
        generated: [generated.algorithm.length, generated.extractable],
        verifyWithSignOnly: await nameOf(crypto.subtle.verify("HMAC", raw, new Uint8Array(32), enc.encode("x"))),
        exportHidden: await nameOf(crypto.subtle.exportKey("raw", generated)),
        aes: await nameOf(crypto.subtle.importKey("raw", enc.encode("k"), { name: "AES-GCM" }, false, ["encrypt"])),
        md5: await nameOf(crypto.subtle.digest("MD5", enc.encode("x"))),
        badUsage: await nameOf(crypto.subtle.importKey("raw", enc.encode("k"), { name: "HMAC", hash: "SHA-256" }, false, ["encrypt"])),
        encrypt: await nameOf(crypto.subtle.encrypt({ name: "AES-GCM" }, raw, enc.encode("x"))),
        shortSignature: await crypto.subtle.verify("HMAC", generated, new Uint8Array(3), enc.encode("x")),
        keyBytesHidden: Object.keys(raw).length + Object.getOwnPropertySymbols(raw).length,
      };`);
    expect(out).toEqual({
      jwk: { kty: "oct", k: "a2V5", alg: "HS256", ext: true, key_ops: ["sign"] },
      same: "key",
      raw: ["secret", true, { name: "HMAC", hash: { name: "SHA-256" }, length: 24 }, ["sign"], true],
      generated: [1024, false],
      verifyWithSignOnly: "InvalidAccessError",
      exportHidden: "InvalidAccessError",
      aes: "NotSupportedError",
      md5: "NotSupportedError",
      badUsage: "SyntaxError",
      encrypt: "NotSupportedError",
      shortSignature: false,
      keyBytesHidden: 0,
    });
  });

  it("compares signatures without an early exit", () => {
    const a = Uint8Array.from([1, 2, 3, 4]);
    expect(timingSafeEqual(a, Uint8Array.from([1, 2, 3, 4]))).toBe(true);
    expect(timingSafeEqual(a, Uint8Array.from([0, 2, 3, 4]))).toBe(false);
    expect(timingSafeEqual(a, Uint8Array.from([1, 2, 3, 5]))).toBe(false);
    expect(timingSafeEqual(a, Uint8Array.from([1, 2, 3]))).toBe(false);
  });
});

describe("crypto", () => {
  it("fills integer arrays with random bytes and makes v4 UUIDs", async () => {
    const out = await web.run(`
      const a = new Uint8Array(64);
      const same = crypto.getRandomValues(a) === a;
      const b = crypto.getRandomValues(new Uint32Array(4));
      const nameOf = (f) => { try { f(); return "ok"; } catch (e) { return e.name; } };
      return {
        same, nonZero: a.some((x) => x !== 0), b: b.length,
        tooMany: nameOf(() => crypto.getRandomValues(new Uint8Array(65537))),
        max: nameOf(() => crypto.getRandomValues(new Uint8Array(65536))),
        float: nameOf(() => crypto.getRandomValues(new Float64Array(2))),
        uuids: [crypto.randomUUID(), crypto.randomUUID()],
      };`);
    expect(out).toMatchObject({ same: true, nonZero: true, b: 4, tooMany: "QuotaExceededError", max: "ok" });
    expect(out).toMatchObject({ float: "TypeMismatchError" });
    const [u1, u2] = (out as { uuids: string[] }).uuids;
    expect(u1).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(u1).not.toBe(u2);
  });
});
