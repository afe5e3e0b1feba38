// The version of a function that runs now, ready for the runtime. Called for every execution, so
// nothing is read from the database while nothing changed: which version is active is kept for the
// current `functions` generation (a deploy, rollback or delete on any node moves it, see
// storage/cacheGenerations.ts), and bundles (a stored version never changes) by name, version and
// content hash.
import { GenerationCache, readGenerations } from "../../storage/cacheGenerations.js";
import type { Db } from "../../storage/schema.js";
import { readJson } from "../../storage/store.js";
import { type Access, accessOf, type FunctionConfig } from "../deploy/functionConfig.js";
import type { FunctionCode, FunctionForm } from "../runtime/types.js";
import { activeVersionRow } from "./activeVersionRow.js";
import { heldFor } from "../../core/memo.js";

export interface ActiveFunction {
  name: string;
  version: number;
  access: Access;
  config: FunctionConfig;
  code: FunctionCode;
}

interface CachedBundle {
  code: string;
  sourceMap?: string;
}

const MAX_CACHED = 500;
const MAX_CACHED_CHARS = 64 * 1024 * 1024;

/** The active version of each function, as far as it has been asked for. */
type ActiveRows = Map<string, ActiveRow>;

interface ActiveRow {
  version: number;
  hash: string;
  key: string;
  form: FunctionForm;
  config: FunctionConfig;
  access: Access;
}

/** One cache per database, so servers sharing a process (tests) never see each other's bundles. */
const bundles = new WeakMap<Db, BundleCache>();
const actives = new WeakMap<Db, GenerationCache<ActiveRows>>();

/**
 * `generation`: the `functions` generation the caller has just read, if it has; otherwise it is
 * read here.
 */
export async function getActiveFunction(
  db: Db,
  name: string,
  generation?: number,
): Promise<ActiveFunction | undefined> {
  const cache = heldFor(actives, db, () => new GenerationCache<ActiveRows>(() => new Map()));
  const rows = cache.at(generation ?? (await readGenerations(db)).functions);
  const held = rows?.get(name);
  if (held) {
    const bundle = await loadBundle(db, name, held.version, held.hash, held.key);
    if (bundle) return activeFunction(name, held, bundle);
  }
  const loaded = await loadActive(db, name);
  if (loaded) rows?.set(name, loaded.row);
  return loaded && activeFunction(name, loaded.row, loaded.bundle);
}

function activeFunction(name: string, row: ActiveRow, bundle: CachedBundle): ActiveFunction {
  const { version, key, form, config, access } = row;
  const code: FunctionCode = { name, version, key, code: bundle.code, form };
  if (bundle.sourceMap !== undefined) code.sourceMap = bundle.sourceMap;
  return { name, version, access, config, code };
}

async function loadActive(
  db: Db,
  name: string,
): Promise<{ row: ActiveRow; bundle: CachedBundle } | undefined> {
  // A delete and redeploy between the two reads can reuse the version number; the hash tells.
  for (let attempt = 0; attempt < 3; attempt++) {
    const row = await activeVersionRow(db, name);
    if (!row) return undefined;
    const version = Number(row.version);
    const key = `${name}@${version}#${row.hash.slice(0, 16)}`;
    const bundle = await loadBundle(db, name, version, row.hash, key);
    if (!bundle) continue;
    const config = readJson<FunctionConfig>(row.config);
    const form = row.form as FunctionForm;
    return { row: { version, hash: row.hash, key, form, config, access: accessOf(config) }, bundle };
  }
  return undefined;
}

async function loadBundle(
  db: Db,
  name: string,
  version: number,
  hash: string,
  key: string,
): Promise<CachedBundle | undefined> {
  const cache = heldFor(bundles, db, () => new BundleCache());
  const cached = cache.get(key);
  if (cached) return cached;
  const row = await db
    .selectFrom("function_versions")
    .select(["bundle", "source_map"])
    .where("function_name", "=", name)
    .where("version", "=", version)
    .where("hash", "=", hash)
    .executeTakeFirst();
  if (!row) return undefined;
  const bundle: CachedBundle = { code: row.bundle };
  if (row.source_map !== null) bundle.sourceMap = row.source_map;
  cache.set(key, bundle);
  return bundle;
}

/** Least recently used first out, bounded by entries and by characters held. */
class BundleCache {
  private readonly entries = new Map<string, CachedBundle>();
  private chars = 0;

  get(key: string): CachedBundle | undefined {
    const value = this.entries.get(key);
    if (value) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: CachedBundle): void {
    if (this.entries.has(key)) return;
    this.entries.set(key, value);
    this.chars += size(value);
    while (this.entries.size > MAX_CACHED || (this.chars > MAX_CACHED_CHARS && this.entries.size > 1)) {
      const [oldest, evicted] = this.entries.entries().next().value as [string, CachedBundle];
      this.entries.delete(oldest);
      this.chars -= size(evicted);
    }
  }
}

function size(bundle: CachedBundle): number {
  return bundle.code.length + (bundle.sourceMap?.length ?? 0);
}
