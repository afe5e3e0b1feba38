import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";
import { parse } from "jsonc-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllowEntry } from "../worker/host/index.js";
import { createWebIsolate, type WebIsolate } from "./testing/webIsolate.js";

// The examples of docs/functions-web-apis.md, run as written.
const doc = readFileSync(
  fileURLToPath(new URL("../../../../docs/functions-web-apis.md", import.meta.url)),
  "utf8",
);
const blocks = (lang: string) =>
  [...doc.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, "g"))].map((m) => m[1]!);
const servers = blocks("ts").filter((code) => code.includes("Deno.serve("));

let web: WebIsolate;

beforeAll(async () => {
  web = await createWebIsolate({
    fetchPolicy: { allow: [], timeoutMs: 1000, maxResponseBytes: 1000 },
    signal: new AbortController().signal,
  });
});

afterAll(() => web.dispose());

/** Runs a Deno.serve example with each request (built by `requests`, isolate code) and returns the answers. */
async function serve(example: string, requests: string): Promise<[number, string | null, string][]> {
  const { code } = await transform(example, { loader: "ts" });
  return web.run(`
    const secrets = { GITHUB_WEBHOOK_SECRET: "gh-secret", STRIPE_WEBHOOK_SECRET: "whsec_1" };
    let handler;
    const Deno = { env: { get: (name) => secrets[name] }, serve: (fn) => { handler = fn; } };
    ${code}
    const answers = [];
    for (const req of ${requests}) {
      const res = await handler(req);
      answers.push([res.status, res.headers.get("content-type"), await res.text()]);
    }
    return answers;`);
}

describe("docs/functions-web-apis.md", () => {
  it("has the three Deno.serve examples this test runs", () => {
    expect(servers).toHaveLength(3);
  });

  it("reading a request: 401 without a token, JSON on POST, text with a query", async () => {
    const answers = await serve(
      servers[0]!,
      `[
        new Request("https://app.example/functions/orders"),
        new Request("https://app.example/functions/orders", { method: "POST", headers: { authorization: "Bearer t" },
          body: JSON.stringify({ items: [1, 2] }) }),
        new Request("https://app.example/functions/orders?name=Ada", { headers: { authorization: "Bearer t" } }),
      ]`,
    );
    expect(answers[0]).toEqual([401, "application/json", '{"error":"Unauthorized"}']);
    expect(answers[1]![0]).toBe(201);
    expect(JSON.parse(answers[1]![2])).toMatchObject({ items: 2 });
    expect(answers[2]).toEqual([200, "text/plain", "Hello, Ada!"]);
  });

  it("GitHub webhook: a signed body is accepted, a tampered one refused", async () => {
    const body = '{"action":"opened","number":7}';
    const signature = `sha256=${createHmac("sha256", "gh-secret").update(body).digest("hex")}`;
    const make = (text: string) =>
      `new Request("https://app.example/functions/github", { method: "POST", body: ${JSON.stringify(text)},
        headers: { "x-hub-signature-256": "${signature}" } })`;
    const answers = await serve(servers[1]!, `[${make(body)}, ${make(body.replace("7", "8"))}]`);
    expect(answers).toEqual([
      [200, "application/json", '{"received":"opened"}'],
      [401, "application/json", '{"error":"Invalid signature"}'],
    ]);
  });

  it("Stripe webhook: a signed, fresh body is accepted, a tampered or stale one refused", async () => {
    const body = '{"id":"evt_1","type":"invoice.paid"}';
    const sign = (t: number, text: string) =>
      `t=${t},v1=${createHmac("sha256", "whsec_1").update(`${t}.${text}`).digest("hex")}`;
    const now = Math.floor(Date.now() / 1000);
    const make = (header: string, text: string) =>
      `new Request("https://app.example/functions/stripe", { method: "POST", body: ${JSON.stringify(text)},
        headers: { "stripe-signature": "${header}" } })`;
    const answers = await serve(
      servers[2]!,
      `[${make(sign(now, body), body)}, ${make(sign(now, body), body.replace("paid", "void"))},
        ${make(sign(now - 3600, body), body)}]`,
    );
    expect(answers.map(([status, , text]) => [status, text])).toEqual([
      [200, '{"received":"invoice.paid"}'],
      [400, "Invalid signature"],
      [400, "Invalid signature"],
    ]);
  });

  it("the other examples compile, and every allow-list entry shown is valid", async () => {
    for (const code of blocks("ts")) await transform(code, { loader: "ts" });
    const config = parse(blocks("jsonc")[0]!) as { server: { functions: { fetch: { allow: string[] } } } };
    const allow = config.server.functions.fetch.allow;
    expect(allow.length).toBeGreaterThan(3);
    for (const entry of allow) expect([entry, parseAllowEntry(entry)]).not.toEqual([entry, null]);
  });
});
