// Secrets reach function code as `env.NAME` and `Deno.env.get("NAME")`, and their values appear
// nowhere else: not in stored logs (even when the function prints them), not in execution errors,
// not in any API listing, not in the database in clear text.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deploy, eventually } from "../../src/functions/invoke/testing/deploy.js";
import { forEachStore, startServer, type TestServer } from "../harness.js";

const VALUE = "sk_live_51HqLzY2eZvKYlo2C8a7Fh3Jk9";

const USES_SECRET = `export default async function (event, context) {
  const fromEnv = env.API_TOKEN;
  const fromDeno = Deno.env.get("API_TOKEN");
  console.log("calling the API with " + fromEnv);
  console.warn("the context has it too: " + (context.env.API_TOKEN === fromEnv));
  if (event.fail) throw new Error("the API refused " + fromDeno);
  return { same: fromEnv === fromDeno, length: fromEnv.length, prefix: fromEnv.slice(0, 8) };
}
`;

forEachStore((store) => {
  describe("secrets in functions", () => {
    let server: TestServer;
    const admin = () => ({ token: server.adminKey });

    beforeAll(async () => {
      server = await startServer(store, { config: { functions: { workers: 1 } } });
      const set = await server.api("PUT", "/api/secrets/API_TOKEN", { ...admin(), body: { value: VALUE } });
      expect(set.status).toBeLessThan(300);
      await deploy(server, "uses-secret", USES_SECRET);
    });
    afterAll(async () => server?.close());

    it("a function reads a secret through env and Deno.env.get", async () => {
      const res = await server.api("POST", "/api/functions/uses-secret/invoke", { ...admin(), body: {} });
      expect(res.body).toEqual({ same: true, length: VALUE.length, prefix: "sk_live_" });
    });

    it("the value never appears in logs, executions, API listings or the database", async () => {
      const stream = await fetch(`${server.url}/api/logs/stream`, {
        headers: { authorization: `Bearer ${server.adminKey}` },
      });
      const reader = stream.body!.getReader();
      let streamed = "";
      const reading = (async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          streamed += new TextDecoder().decode(value);
        }
      })().catch(() => {});

      const failed = await server.api("POST", "/api/functions/uses-secret/invoke", {
        ...admin(),
        body: { fail: true },
      });
      expect(failed.status).toBe(500);
      expect(failed.body.error.message).toBe("the API refused [secret]");
      const id = failed.body.error.details.executionId;
      await eventually(() => expect(streamed).toContain("calling the API with [secret]"));
      await reader.cancel();
      await reading;

      const run = await server.api("GET", `/api/executions/${id}`, admin());
      expect(run.body.error).toBe("the API refused [secret]");
      expect(run.body.logs.map((l: any) => l.message)).toContain("calling the API with [secret]");

      const surfaces = [
        run.body,
        streamed,
        (await server.api("GET", "/api/executions", admin())).body,
        (await server.api("GET", "/api/logs", admin())).body,
        (await server.api("GET", "/api/secrets", admin())).body,
        (await server.api("GET", "/api/functions", admin())).body,
        (await server.api("GET", "/api/functions/uses-secret", admin())).body,
      ];
      for (const surface of surfaces) expect(JSON.stringify(surface)).not.toContain(VALUE);
      expect(JSON.stringify(surfaces[4])).toContain("API_TOKEN");

      if (store === "sqlite") {
        const dir = server.platform.deps.config.dataDir;
        for (const file of readdirSync(dir).filter((f) => f.startsWith("data.db"))) {
          expect(readFileSync(path.join(dir, file)).includes(VALUE)).toBe(false);
        }
      } else {
        const { db } = server.platform.deps;
        for (const table of ["executions", "execution_logs", "secrets", "function_versions"]) {
          const rows = await sql<{
            row: string;
          }>`SELECT row_to_json(t)::text AS row FROM ${sql.table(table)} t`.execute(db);
          expect(rows.rows.length).toBeGreaterThan(table === "function_versions" ? 0 : -1);
          for (const { row } of rows.rows) expect(row).not.toContain(VALUE);
        }
      }
    });
  });
});
