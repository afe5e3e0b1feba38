// Which function a URL under /functions/ names. Names nest (`email/send`), and a function may serve
// a path below its own (`/functions/stripe/events/123` reaches `stripe` when no `stripe/events`
// exists), so the longest deployed name that prefixes the path wins. The deployed names are kept for
// the current `functions` generation (storage/cacheGenerations.ts): no query while nothing changed.
import { NotFoundError, ValidationError } from "../../core/errors.js";
import { GenerationCache, readGenerations } from "../../storage/cacheGenerations.js";
import type { Db } from "../../storage/schema.js";
import { heldFor } from "../../core/memo.js";

/** Deeper paths are matched on their first parts only. */
const MAX_PARTS = 8;

const caches = new WeakMap<Db, GenerationCache<{ names?: Set<string> }>>();

/**
 * `path` is what follows `/functions/`, without the query string, still URL-encoded; `generation`
 * the `functions` generation the caller has just read, if it has.
 */
export async function resolveFunctionPath(db: Db, path: string, generation?: number): Promise<string> {
  const parts = decodeParts(path);
  const candidates: string[] = [];
  for (let n = Math.min(parts.length, MAX_PARTS); n >= 1; n--) {
    const head = parts.slice(0, n);
    if (head.every((p) => p !== "")) candidates.push(head.join("/"));
  }
  if (candidates.length > 0) {
    const names = await deployedNames(db, generation ?? (await readGenerations(db)).functions);
    const name = candidates.find((c) => names.has(c));
    if (name) return name;
  }
  throw new NotFoundError(`No function named ${parts.join("/").slice(0, 200) || "(none)"}`);
}

async function deployedNames(db: Db, generation: number): Promise<Set<string>> {
  const held = heldFor(caches, db, () => new GenerationCache<{ names?: Set<string> }>(() => ({}))).at(
    generation,
  );
  if (held?.names) return held.names;
  // As many as functions.maxFunctions allows: a small set.
  const rows = await db.selectFrom("functions").select("name").execute();
  const names = new Set(rows.map((r) => r.name));
  if (held) held.names = names;
  return names;
}

function decodeParts(path: string): string[] {
  try {
    // An encoded slash (email%2Fsend) separates parts just like a plain one.
    return path.split("/").flatMap((p) => decodeURIComponent(p).split("/"));
  } catch {
    throw new ValidationError("The function path is not valid URL encoding");
  }
}
