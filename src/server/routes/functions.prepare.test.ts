// A deploy or a rollback prepares the version that now runs in the sandbox before answering: the
// worker then has it warm before the first call.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startServer, type TestServer } from "../../../test/harness.js";

const files = (n: number) => ({
  "entry.ts": `export default async function () { return { version: ${n} }; }`,
});

describe("deploy and rollback prepare the active version", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer("sqlite");
  });
  afterAll(async () => server?.close());

  const warmKeys = async () => (await server.platform.deps.runtime.stats()).flatMap((s) => s.warmKeys);

  it("after a deploy the worker has the new version warm; after a rollback, the older one", async () => {
    for (const n of [1, 2]) {
      const deployed = await server.api("PUT", "/api/functions/prepared", {
        token: server.adminKey,
        body: { files: files(n) },
      });
      expect(deployed.status).toBe(200);
    }
    await vi.waitFor(
      async () => expect((await warmKeys()).some((k) => k.startsWith("prepared@2#"))).toBe(true),
      {
        timeout: 10_000,
        interval: 50,
      },
    );
    const rolledBack = await server.api("POST", "/api/functions/prepared/rollback", {
      token: server.adminKey,
    });
    expect(rolledBack.status).toBe(200);
    await vi.waitFor(
      async () => expect((await warmKeys()).some((k) => k.startsWith("prepared@1#"))).toBe(true),
      {
        timeout: 10_000,
        interval: 50,
      },
    );
    const called = await server.api("POST", "/api/functions/prepared/invoke", {
      token: server.adminKey,
      body: {},
    });
    expect(called.body).toEqual({ version: 1 });
  });
});
