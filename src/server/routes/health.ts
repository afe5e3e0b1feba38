// GET /healthz: 200 when this node can reach its database and serve. Load balancers and probes call
// it often: the database is asked at most once a second, and calls in between get that answer.
import { sql } from "kysely";
import type { Deps } from "../../deps.js";
import type { App } from "../app.js";

/** How long one database check answers for. */
export const HEALTH_CHECK_MS = 1000;

export function healthRoutes(app: App, deps: Deps): void {
  let checked: { at: number; ok: Promise<boolean> } | undefined;
  const databaseOk = (): Promise<boolean> => {
    const now = performance.now();
    if (!checked || now - checked.at >= HEALTH_CHECK_MS) {
      checked = {
        at: now,
        ok: sql`SELECT 1`.execute(deps.db).then(
          () => true,
          () => false,
        ),
      };
    }
    return checked.ok;
  };
  app.get("/healthz", { schema: { hide: true } }, async (_request, reply) => {
    if (await databaseOk()) return { status: "ok" };
    return reply
      .status(503)
      .send({ error: { code: "unavailable", message: "The database is not reachable" } });
  });
}
