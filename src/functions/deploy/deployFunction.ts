// PUT /api/functions/:name: validates, compiles and bundles a function (or takes the bundle the CLI
// built on the developer's machine), then stores it as a new version and makes that version the one
// that runs. The same content sent again changes nothing.
import { sql } from "kysely";
import { isoNow } from "../../core/clock.js";
import { ConflictError, ValidationError } from "../../core/errors.js";
import type { Deps } from "../../deps.js";
import { bumpGeneration } from "../../storage/cacheGenerations.js";
import type { Executor } from "../../storage/schema.js";
import { readJson, writeJson } from "../../storage/store.js";
import type { FunctionForm } from "../runtime/types.js";
import { type Bundle, bundleFunction, displayPath, GLOBAL_NAME } from "./bundleFunction.js";
import { contentHash } from "./contentHash.js";
import { detectForm } from "./detectForm.js";
import {
  type Access,
  accessOf,
  type FunctionConfig,
  normalizeTriggers,
  parseFunctionConfig,
} from "./functionConfig.js";
import { syncConfigSubscriptions } from "../../events/subscriptions/syncConfigSubscriptions.js";
import { syncConfigSchedules } from "../../schedules/syncConfigSchedules.js";
import { checkFunctionName } from "./functionName.js";
import {
  CONFIG_FILE,
  checkFiles,
  chooseEntry,
  configFromFiles,
  loaderFor,
  type SourceFiles,
} from "./sourceFiles.js";
import { activeVersionRow } from "../catalog/activeVersionRow.js";

export interface DeployInput {
  files: SourceFiles;
  /** The function.jsonc object; otherwise a function.jsonc among the files, otherwise {}. */
  config?: unknown;
  /** Built by the CLI (src/project/bundleLocal.ts): stored as it is instead of bundling `files`. */
  bundle?: PrebuiltBundle;
}

export interface PrebuiltBundle {
  /** An IIFE that assigns the module's exports to `globalThis.__backendModule`. */
  code: string;
  sourceMap?: string;
  form: FunctionForm;
}

/** What gets stored: the bundle, its form and the config in force. */
export interface Built {
  bundle: { code: string; sourceMap?: string };
  form: FunctionForm;
  config: FunctionConfig;
}

export interface DeployResult {
  name: string;
  version: number;
  status: "deployed" | "unchanged";
  form: FunctionForm;
  hash: string;
  access: Access;
}

/** Serializes deploys across PostgreSQL nodes, so version numbers and the function limit hold. */
const DEPLOY_LOCK = 0x66_6e_64_70;

export async function deployFunction(
  deps: Pick<Deps, "db" | "dialect" | "clock" | "config">,
  name: string,
  input: DeployInput,
): Promise<DeployResult> {
  const { files, explicit, hash, limits } = checkInput(deps, name, input);
  const active = await activeVersion(deps.db, name);
  if (active?.hash === hash) {
    await adoptSchedules(deps, name);
    return unchanged(name, active);
  }

  const { bundle, form, config } = await build(name, files, explicit, input.bundle, limits);
  const access = accessOf(config);

  return deps.db.transaction().execute(async (trx) => {
    if (deps.dialect === "postgres") await sql`select pg_advisory_xact_lock(${DEPLOY_LOCK})`.execute(trx);
    const current = await activeVersion(trx, name);
    // Another node deployed the same content while this one was bundling.
    if (current?.hash === hash) return unchanged(name, current);
    const now = isoNow(deps.clock);
    let version = 1;
    if (current) {
      const last = await trx
        .selectFrom("function_versions")
        .select((eb) => eb.fn.max("version").as("v"))
        .where("function_name", "=", name)
        .executeTakeFirstOrThrow();
      version = Number(last.v ?? 0) + 1;
      await trx
        .updateTable("functions")
        .set({ active_version: version, updated_at: now })
        .where("name", "=", name)
        .execute();
    } else {
      await checkLimit(trx, deps.config.functions.maxFunctions);
      await trx
        .insertInto("functions")
        .values({ name, active_version: version, created_at: now, updated_at: now })
        .execute();
    }
    await trx
      .insertInto("function_versions")
      .values({
        function_name: name,
        version,
        hash,
        files: writeJson(files),
        config: writeJson(config),
        bundle: bundle.code,
        source_map: bundle.sourceMap ?? null,
        form,
        created_at: now,
      })
      .execute();
    const triggers = normalizeTriggers(config, deps.clock.now(), deps.config.schedules.timezone);
    await syncConfigSubscriptions(
      trx,
      { clock: deps.clock, maxPerEvent: deps.config.events.maxSubscriptionsPerEvent },
      name,
      triggers.events,
    );
    await syncConfigSchedules(trx, deps, name, triggers.schedules);
    // Every node drops what it cached about functions at its next call.
    await bumpGeneration(trx, "functions");
    return { name, version, status: "deployed" as const, form, hash, access };
  });
}

/**
 * Checks and builds a function without storing it: for a test run of code that is not deployed.
 * Answers the bundle, its form and config, and the content hash a deploy would store it under.
 */
export async function buildUndeployed(
  deps: Pick<Deps, "config">,
  name: string,
  input: DeployInput,
): Promise<Built & { hash: string; access: Access }> {
  const { files, explicit, hash, limits } = checkInput(deps, name, input);
  const built = await build(name, files, explicit, input.bundle, limits);
  return { ...built, hash, access: accessOf(built.config) };
}

/** The name, files and config checked, and the content hash they make. */
function checkInput(deps: Pick<Deps, "config">, name: string, input: DeployInput) {
  checkFunctionName(name);
  const files = checkFiles(input.files);
  const limits = deps.config.functions;
  const given = input.config ?? configFromFiles(files, displayPath(name, CONFIG_FILE));
  const explicit = given === undefined ? undefined : parseFunctionConfig(given, limits);
  if (explicit) checkConfigName(explicit, name, "function.jsonc");
  // An exported `config` is part of the files, so files + explicit config cover the whole content.
  const hash = contentHash(files, explicit ?? {}, input.bundle?.code);
  return { files, explicit, hash, limits };
}

function build(
  name: string,
  files: SourceFiles,
  explicit: FunctionConfig | undefined,
  bundle: PrebuiltBundle | undefined,
  limits: Deps["config"]["functions"],
): Promise<Built> {
  return bundle
    ? Promise.resolve(prebuilt(bundle, explicit ?? {}))
    : buildHere(name, files, explicit, limits);
}

/** The server's own build: find the entry and its form, read an exported config, bundle the files. */
async function buildHere(
  name: string,
  files: SourceFiles,
  explicit: FunctionConfig | undefined,
  limits: Deps["config"]["functions"],
): Promise<Built> {
  const entry = chooseEntry(files, explicit?.entry);
  const display = displayPath(name, entry);
  const detected = await detectForm(files[entry]!, loaderFor(entry), display, { readConfig: !explicit });
  const exportedAt = `${display} (export const config)`;
  const config = explicit ?? parseFunctionConfig(detected.config ?? {}, limits, exportedAt);
  if (!explicit) checkConfigName(config, name, exportedAt);
  const bundle: Bundle = await bundleFunction({ name, files, entry, append: detected.append });
  return { bundle, form: detected.form, config };
}

/** A bundle the CLI built; its config is the one sent (the CLI reads `export const config` itself). */
function prebuilt(bundle: PrebuiltBundle, config: FunctionConfig): Built {
  if (!bundle.code.includes(GLOBAL_NAME)) {
    throw new ValidationError(
      `bundle.code must be an IIFE that assigns the module's exports to globalThis.${GLOBAL_NAME}; ` +
        "build it with 'backend functions deploy', or send only files and let the server bundle them",
    );
  }
  if (bundle.sourceMap !== undefined && !isSourceMap(bundle.sourceMap)) {
    throw new ValidationError('bundle.sourceMap must be a source map (JSON with "sources" and "mappings")');
  }
  const stored: Built["bundle"] = { code: bundle.code };
  if (bundle.sourceMap !== undefined) stored.sourceMap = bundle.sourceMap;
  return { bundle: stored, form: bundle.form, config };
}

function isSourceMap(text: string): boolean {
  try {
    const map = JSON.parse(text) as { sources?: unknown; mappings?: unknown };
    return Array.isArray(map.sources) && typeof map.mappings === "string";
  } catch {
    return false;
  }
}

async function activeVersion(
  db: Executor,
  name: string,
): Promise<{ version: number; hash: string; form: FunctionForm; access: Access } | undefined> {
  const row = await activeVersionRow(db, name);
  if (!row) return undefined;
  return {
    version: Number(row.version),
    hash: row.hash,
    form: row.form as FunctionForm,
    access: accessOf(readJson<FunctionConfig>(row.config)),
  };
}

/**
 * A function deployed before schedules ran declares them in its config without any being stored:
 * deploying it again, unchanged, makes them (as would any change to it).
 */
async function adoptSchedules(deps: Pick<Deps, "db" | "clock" | "config">, name: string): Promise<void> {
  const row = await activeVersionRow(deps.db, name);
  if (!row) return;
  const specs = normalizeTriggers(
    readJson<FunctionConfig>(row.config),
    deps.clock.now(),
    deps.config.schedules.timezone,
  ).schedules;
  if (specs.length === 0) return;
  const stored = await deps.db
    .selectFrom("schedules")
    .select("id")
    .where("function_name", "=", name)
    .where("source", "=", "config")
    .executeTakeFirst();
  if (stored) return;
  await deps.db.transaction().execute((trx) => syncConfigSchedules(trx, deps, name, specs));
}

function unchanged(
  name: string,
  active: { version: number; hash: string; form: FunctionForm; access: Access },
): DeployResult {
  return {
    name,
    version: active.version,
    status: "unchanged",
    form: active.form,
    hash: active.hash,
    access: active.access,
  };
}

function checkConfigName(config: FunctionConfig, name: string, where: string): void {
  if (config.name !== undefined && config.name !== name) {
    throw new ValidationError(
      `${where}: name '${config.name}' differs from the name deployed to ('${name}'); make them match or drop "name"`,
    );
  }
}

async function checkLimit(db: Executor, max: number): Promise<void> {
  const { n } = await db
    .selectFrom("functions")
    .select((eb) => eb.fn.countAll().as("n"))
    .executeTakeFirstOrThrow();
  if (Number(n) >= max) {
    throw new ConflictError(
      `This project has ${Number(n)} functions, the limit (functions.maxFunctions). Delete one you no longer need, ` +
        "or raise server.functions.maxFunctions in backend.config.jsonc",
    );
  }
}
