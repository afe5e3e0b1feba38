// Reads a project folder: backend.config.jsonc (optional), then every function in the functions
// folder with its config and its files. A function whose config is wrong is still listed, with its
// `error`, so that one mistake does not stop the others from deploying; a wrong backend.config.jsonc
// stops everything (ProjectError).
import { existsSync, readdirSync, realpathSync } from "node:fs";
import path from "node:path";
import { AppError } from "../core/errors.js";
import type { FunctionConfig } from "../functions/deploy/functionConfig.js";
import { checkFunctionName } from "../functions/deploy/functionName.js";
import { chooseEntry } from "../functions/deploy/sourceFiles.js";
import { functionFiles } from "./functionFiles.js";
import { discoverFunctions, type FoundFunction } from "./discoverFunctions.js";
import { displayOf } from "./fileRoles.js";
import { type ProjectSettings, readProjectConfig } from "./projectConfig.js";
import { inParallel } from "./inParallel.js";
import { ProjectError } from "./projectError.js";
import { readConfigFile, readExportedConfig } from "./readFunctionConfig.js";

export interface Project {
  root: string;
  /** Absolute; `functions` under the root unless backend.config.jsonc says otherwise. */
  functionsDir: string;
  serverUrl?: string;
  functions: LocalFunction[];
}

export interface LocalFunction {
  name: string;
  /** A folder with entry.ts (and maybe function.jsonc), or a single file. */
  kind: "folder" | "file";
  /** The function's folder; for a single file, the folder that holds it. */
  dir: string;
  entryFile: string;
  configFile?: string;
  /** Parsed and checked; {} when there is none (or when `error` is set). */
  config: FunctionConfig;
  /** Relative path -> source: what the server stores and `pull` writes back (see fileRoles.ts). */
  files: Record<string, string>;
  /** Why this function cannot be deployed as it is; bundleLocal throws it. */
  error?: ProjectError;
}

const PARALLEL = 8;

export async function loadProject(dir: string): Promise<Project> {
  // Real paths, as esbuild reports the files it resolves (a /tmp that is a symlink, say).
  const root = existsSync(dir) ? realpathSync(path.resolve(dir)) : path.resolve(dir);
  const settings = readProjectConfig(root);
  const project: Project = { root, functionsDir: settings.functionsDir, functions: [] };
  if (settings.serverUrl) project.serverUrl = settings.serverUrl;
  if (!existsSync(settings.functionsDir)) return project;

  const found = discoverFunctions(settings.functionsDir);
  const functions = await inParallel(found, PARALLEL, (one) => readFunction(root, settings, one));
  project.functions = markDuplicates(root, functions).sort((a, b) => (a.name < b.name ? -1 : 1));
  return project;
}

async function readFunction(
  root: string,
  settings: ProjectSettings,
  found: FoundFunction,
): Promise<LocalFunction> {
  const fn: LocalFunction = {
    name: found.pathName,
    kind: found.kind,
    dir: found.dir,
    entryFile: found.entryFile ?? path.join(found.dir, "entry.ts"),
    config: {},
    files: {},
  };
  if (found.configFile) fn.configFile = found.configFile;
  try {
    const config = found.configFile
      ? await readConfigFile(found.configFile, displayOf(root, found.configFile), settings.limits)
      : await readExportedConfig(fn.entryFile, displayOf(root, fn.entryFile), settings.limits);
    fn.name = config.name ?? found.pathName;
    checkFunctionName(fn.name);
    if (found.kind === "folder") fn.entryFile = entryOf(root, found, config);
    fn.config = config;
    fn.files = await functionFiles({ root, functionsDir: settings.functionsDir }, fn);
  } catch (error) {
    fn.error = asProblem(error, root, found);
  }
  return fn;
}

/** A folder's entry, chosen as the server chooses: `entry`, else entry.ts / entry.js / index.ts / index.js, else the only code file. */
function entryOf(root: string, found: FoundFunction, config: FunctionConfig): string {
  if (config.entry === undefined && found.entryFile) return found.entryFile;
  const display = displayOf(root, found.configFile ?? found.dir);
  const files = Object.fromEntries(listFiles(found.dir).map((file) => [file, ""]));
  try {
    return path.join(found.dir, chooseEntry(files, config.entry));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    throw new ProjectError(`${display}: ${error.message.replace(/^function\.jsonc: /, "")}`, {
      file: display,
      field: "entry",
    });
  }
}

/** The files under a function's folder, relative to it (without node_modules and dot files). */
function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith(".") || entry.name === "node_modules") return [];
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return listFiles(dir, relative);
    return entry.isFile() ? [relative] : [];
  });
}

function markDuplicates(root: string, functions: LocalFunction[]): LocalFunction[] {
  const byName = new Map<string, LocalFunction[]>();
  for (const fn of functions) byName.set(fn.name, [...(byName.get(fn.name) ?? []), fn]);
  for (const [name, same] of byName) {
    if (same.length < 2) continue;
    const places = same.map((fn) => displayOf(root, fn.kind === "file" ? fn.entryFile : fn.dir));
    for (const fn of same) {
      fn.error ??= new ProjectError(
        `Two functions are named '${name}' (${places.join(", ")}); rename one, or change "name" in its function.jsonc`,
        { file: places[0]! },
      );
    }
  }
  return functions;
}

function asProblem(error: unknown, root: string, found: FoundFunction): ProjectError {
  if (error instanceof ProjectError) return error;
  const file = displayOf(root, found.configFile ?? found.entryFile ?? found.dir);
  if (error instanceof AppError) return new ProjectError(`${file}: ${error.message}`, { file });
  if ((error as NodeJS.ErrnoException).code === "ENOENT") {
    return new ProjectError(`${file}: ${(error as Error).message}`, { file });
  }
  throw error;
}
