// A sandbox worker killed with SIGKILL in the middle of a call (POST /api/functions/:name/invoke,
// as the SDK makes it, and the HTTP trigger): the caller gets an answer that says so, the call's execution is stored as `crashed`, and the next call is served. This must keep
// holding whichever process answers a function's HTTP calls.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachStore, startServer, type TestServer } from "../../../test/harness.js";
import { deploy, eventually } from "./testing/deploy.js";

forEachStore((store) => {
  describe("a sandbox worker killed mid-call", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer(store);
      await deploy(
        server,
        "slow",
        `export const config = { access: "public" } as const;
         // A call's payload is { ms }; the HTTP trigger's is the request, with { ms } as its body.
         export default async (payload: { ms?: number; body?: { ms?: number } }) => {
           await new Promise((resolve) => setTimeout(resolve, payload?.ms ?? payload?.body?.ms ?? 0));
           return { done: true };
         };`,
      );
    });
    afterAll(async () => server?.close());

    const running = async () =>
      (await server.api("GET", "/api/executions?function=slow&status=running", { token: server.adminKey }))
        .body.items as { id: string }[];

    const invoke = (ms: number) =>
      fetch(`${server.url}/api/functions/slow/invoke`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${server.adminKey}` },
        body: JSON.stringify({ ms }),
      });

    const httpCall = (ms: number) =>
      fetch(`${server.url}/functions/slow`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ms }),
      });

    it.each([
      ["a call", invoke],
      ["an HTTP request", httpCall],
    ])("%s: stored as crashed, the caller answered, the next call served", async (_kind, send) => {
      const call = send(10_000);
      const [inFlight] = await eventually(async () => {
        const items = await running();
        expect(items).toHaveLength(1);
        return items;
      });
      const pids = server.platform.deps.runtime.workerPids();
      expect(pids.length).toBeGreaterThan(0);
      for (const pid of pids) process.kill(pid, "SIGKILL");

      const answer = await call;
      expect(answer.status).toBeGreaterThanOrEqual(500);
      const body = (await answer.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(/sandbox worker stopped/i);

      const stored = await server.api("GET", `/api/executions/${inFlight!.id}`, { token: server.adminKey });
      expect(stored.body).toMatchObject({ id: inFlight!.id, status: "crashed" });

      const next = await send(0);
      expect(next.status).toBe(200);
      expect(await next.json()).toEqual({ done: true });
    });
  });
});
