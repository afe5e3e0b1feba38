// The examples of docs/functions-runtime.md, run as written (bundled the way deploy bundles them).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FunctionRuntime } from "./functionRuntime.js";
import { makeJob, noBridge, recordingBridge, startRuntime } from "./testing/runtimeFixtures.js";

const doc = readFileSync(
  fileURLToPath(new URL("../../../docs/functions-runtime.md", import.meta.url)),
  "utf8",
);
const examples = [...doc.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);

async function bundle(source: string): Promise<string> {
  const { code } = await transform(source, { loader: "js", format: "iife", globalName: "__backendModule" });
  return code;
}

describe("docs/functions-runtime.md", () => {
  let runtime: FunctionRuntime;
  beforeAll(() => {
    runtime = startRuntime({ workers: 1 });
  });
  afterAll(async () => runtime?.close());

  it("has the four examples this test runs", () => {
    expect(examples).toHaveLength(4);
  });

  it("the HTTP event example sees method, path, query, headers, body and raw body", async () => {
    const source = examples[0]!.replace(
      "return { ok: true };",
      "return { ok: true, event, isRequest: context.request instanceof Request };",
    );
    const raw = '{"order": 7}';
    const outcome = await runtime.execute(
      makeJob(await bundle(source), {
        input: {
          trigger: "http",
          request: {
            method: "POST",
            url: "http://localhost/functions/hook?tag=a&tag=b",
            headers: [["content-type", "application/json"]],
            body: new TextEncoder().encode(raw),
          },
        },
      }),
      noBridge,
    );
    expect(outcome.result).toEqual({
      ok: true,
      isRequest: true,
      event: {
        method: "POST",
        path: "/functions/hook",
        query: { tag: ["a", "b"] },
        headers: { "content-type": "application/json" },
        body: { order: 7 },
        rawBody: raw,
      },
    });
  });

  it("the backend example works synchronously and with await", async () => {
    const bridge = recordingBridge({
      "records.query": () => [{ email: "ann@example.com" }],
      "email.send": () => ({ id: "m1" }),
    });
    const source = `export default async function () {\n${examples[1]}\nreturn { users, same };\n}`;
    const outcome = await runtime.execute(makeJob(await bundle(source)), bridge);
    expect(outcome.status).toBe("success");
    expect(outcome.result).toEqual({
      users: [{ email: "ann@example.com" }],
      same: [{ email: "ann@example.com" }],
    });
    expect(bridge.calls.map((c) => c.op)).toEqual(["records.query", "email.send", "records.query"]);
    expect(bridge.calls[2]!.args).toEqual(["users", { isPaid: false }, { sort: "-createdAt", limit: 10 }]);
  });

  it("the createClientFromRequest example answers 401 without a caller and counts the caller's notes", async () => {
    const code = await bundle(examples[2]!);
    const anonymous = await runtime.execute(
      makeJob(code, { form: "deno" }),
      recordingBridge({ "auth.me": () => null }),
    );
    expect(anonymous.response?.status).toBe(401);
    const bridge = recordingBridge({ "auth.me": () => ({ id: "u1" }), "records.query": () => [{}, {}] });
    const signedIn = await runtime.execute(makeJob(code, { form: "deno" }), bridge);
    expect(Buffer.from(signedIn.response!.body).toString()).toBe('{"count":2}');
    expect(bridge.calls.map((c) => c.as)).toEqual(["caller", "caller"]);
  });

  it("the module scope example keeps its state between two calls on one instance", async () => {
    const code = await bundle(examples[3]!);
    const first = await runtime.execute(makeJob(code, { key: "module-scope" }), noBridge);
    const second = await runtime.execute(makeJob(code, { key: "module-scope" }), noBridge);
    const { loadedAt } = first.result as { loadedAt: string };
    expect(new Date(loadedAt).toISOString()).toBe(loadedAt);
    expect([first.result, second.result]).toEqual([
      { loadedAt, calls: 1 },
      { loadedAt, calls: 2 },
    ]);
  });
});
