// Cross-node wake-ups on PostgreSQL: a node that polls only every ten minutes still delivers at once
// an event that another node committed, because the commit NOTIFYs and every node LISTENs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgProblem, startServer, type TestServer } from "../../../test/harness.js";
import { deploy, eventually } from "../../functions/invoke/testing/deploy.js";

describe.skipIf(pgProblem !== undefined)(
  `wake-ups between nodes${pgProblem ? ` (skipped: ${pgProblem})` : ""}`,
  () => {
    let api: TestServer;
    let worker: TestServer;

    beforeAll(async () => {
      // The node the app talks to runs no deliveries; the other never polls within the test.
      api = await startServer("postgres", { config: { events: { dispatch: false } } });
      worker = await startServer("postgres", {
        config: {
          databaseUrl: api.platform.deps.config.databaseUrl,
          adminKey: api.adminKey,
          events: { pollMs: 600_000 },
        },
      });
    });
    afterAll(async () => {
      await worker?.close();
      await api?.close();
    });

    it("an event committed on one node is delivered by another that is woken by NOTIFY, not by polling", async () => {
      await deploy(
        api,
        "woken",
        "export default function (event) { backend.create('woken_seen', { n: event.n }); }",
        {
          triggers: { events: ["wake_test"] },
        },
      );
      // Let the worker's first look (at start) and its LISTEN be behind it.
      await eventually(async () => {
        expect((await worker.api("GET", "/healthz")).status).toBe(200);
      });
      for (let n = 1; n <= 3; n++) {
        const published = await api.api("POST", "/api/events", {
          token: api.adminKey,
          body: { type: "wake_test", data: { n } },
        });
        expect(published.body.deliveries).toBe(1);
        await eventually(async () => {
          const seen = await api.api("GET", "/api/records/woken_seen", { token: api.adminKey });
          expect(seen.body.items.map((r: { n: number }) => r.n).sort()).toEqual(
            Array.from({ length: n }, (_, i) => i + 1),
          );
        }, 10_000);
      }
    });
  },
);
