// Every call leaves an execution record, also under load: 20,000 calls of a public function over
// HTTP, 50 at a time on keep-alive connections, and then exactly one stored successful execution
// per successful answer (and no answer that is not a success). This must keep holding whatever
// path a call takes through the server and its sandbox workers.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachStore, startServer, type TestServer } from "../../../test/harness.js";
import { deploy } from "./testing/deploy.js";

const CALLS = 20_000;
const CONCURRENCY = 50;
// 20,000 calls take a few seconds on a quiet machine; a busy CI machine may be ten times slower.
const UNDER_LOAD_MS = 240_000;

/** GETs `path` `calls` times over `concurrency` keep-alive connections; counts answers by status. */
async function hammer(url: string, path: string, calls: number, concurrency: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const statuses = new Map<number, number>();
  let next = 0;
  const one = () =>
    new Promise<number>((resolve, reject) => {
      http
        .get(`${url}${path}`, { agent }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        })
        .on("error", reject);
    });
  const lane = async () => {
    while (next < calls) {
      next += 1;
      const status = await one();
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, lane));
  } finally {
    agent.destroy();
  }
  return statuses;
}

forEachStore((store) => {
  describe("execution records under load", { timeout: UNDER_LOAD_MS }, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer(store);
      await deploy(
        server,
        "hello",
        `export const config = { access: "public" } as const;
         export default () => ({ hello: "world" });`,
      );
    });
    afterAll(async () => server?.close());

    it(`stores one execution for each of ${CALLS.toLocaleString("en")} calls made ${CONCURRENCY} at a time`, async () => {
      const statuses = await hammer(server.url, "/functions/hello", CALLS, CONCURRENCY);
      expect(Object.fromEntries(statuses)).toEqual({ 200: CALLS });
      // An answer is only given for a run that is stored: nothing to wait for.
      const stored = await server.api("GET", "/api/executions?function=hello&status=success&limit=1", {
        token: server.adminKey,
      });
      expect(stored.status).toBe(200);
      expect(stored.body.total).toBe(CALLS);
      const all = await server.api("GET", "/api/executions?function=hello&limit=1", {
        token: server.adminKey,
      });
      expect(all.body.total).toBe(CALLS);
    });
  });
});
