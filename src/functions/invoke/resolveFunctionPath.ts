// Which function a URL under /functions/ names. Names nest (`email/send`), and a function may serve
// a path below its own (`/functions/stripe/events/123` reaches `stripe` when no `stripe/events`
// exists), so the longest deployed name that prefixes the path wins.
import { NotFoundError, ValidationError } from "../../core/errors.js";
import type { Db } from "../../storage/schema.js";

/** Deeper paths are matched on their first parts only. */
const MAX_PARTS = 8;

/** `path` is what follows `/functions/`, without the query string, still URL-encoded. */
export async function resolveFunctionPath(db: Db, path: string): Promise<string> {
  const parts = decodeParts(path);
  const candidates: string[] = [];
  for (let n = Math.min(parts.length, MAX_PARTS); n >= 1; n--) {
    const head = parts.slice(0, n);
    if (head.every((p) => p !== "")) candidates.push(head.join("/"));
  }
  if (candidates.length > 0) {
    const rows = await db.selectFrom("functions").select("name").where("name", "in", candidates).execute();
    const found = new Set(rows.map((r) => r.name));
    const name = candidates.find((c) => found.has(c));
    if (name) return name;
  }
  throw new NotFoundError(`No function named ${parts.join("/").slice(0, 200) || "(none)"}`);
}

function decodeParts(path: string): string[] {
  try {
    // An encoded slash (email%2Fsend) separates parts just like a plain one.
    return path.split("/").flatMap((p) => decodeURIComponent(p).split("/"));
  } catch {
    throw new ValidationError("The function path is not valid URL encoding");
  }
}
