// GET /healthz: 200 when this node can reach its database and serve.
import { sql } from "kysely";
import type { Deps } from "../../deps.js";
import type { App } from "../app.js";

export function healthRoutes(app: App, deps: Deps): void {
  app.get("/healthz", { schema: { hide: true } }, async (_request, reply) => {
    try {
      await sql`SELECT 1`.execute(deps.db);
      return { status: "ok" };
    } catch {
      return reply
        .status(503)
        .send({ error: { code: "unavailable", message: "The database is not reachable" } });
    }
  });
}
