// Keeps the local server running what is in the functions folder: everything at the start, then
// the functions that a batch of changed files belongs to (all of them when a file outside any one
// function changed, such as `_shared/` or the project config). Deploys run one at a time; a
// failure is printed with its file and line and never stops `backend dev`.
import { existsSync } from "node:fs";
import path from "node:path";
import { type LocalFunction, loadProject, type Project } from "../../project/loadProject.js";
import { type DeployOutcome, deployFunctions } from "../../project/deployProject.js";
import { deleteServerFunction } from "../../project/serverFunctions.js";
import type { ApiTarget } from "../apiClient.js";
import { DEFAULT_TYPES_FILE } from "../types/functionTypes.js";
import { generateTypes } from "../types/generateTypes.js";
import type { Terminal } from "./terminal.js";

export class DevDeployer {
  private project: Project | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly root: string,
    private readonly target: ApiTarget,
    private readonly terminal: Terminal,
  ) {}

  /** The functions folder to watch (the default one while the project config is broken). */
  get functionsDir(): string {
    return this.project?.functionsDir ?? path.join(this.root, "functions");
  }

  /** Deploys every function; functions the local server has and the folder does not are removed. */
  deployAll(): Promise<void> {
    return this.enqueue(async () => {
      const project = await this.load();
      if (!project) return;
      this.project = project;
      await this.deploy(project, undefined, true);
    });
  }

  /** Redeploys what `files` belong to. */
  filesChanged(files: string[]): Promise<void> {
    return this.enqueue(async () => {
      const before = this.project;
      const project = await this.load();
      if (!project) return;
      this.project = project;
      if (!before) return this.deploy(project, undefined, true);
      const names = affectedNames(before, project, files);
      const removed = before.functions
        .map((f) => f.name)
        .filter((n) => !project.functions.some((f) => f.name === n));
      for (const name of removed) await this.remove(name);
      if (names === "all") await this.deploy(project, undefined, false);
      else if (names.length > 0) await this.deploy(project, names, false);
    });
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(work).catch((error: unknown) => {
      this.terminal.line("ERROR", "", `deploy failed: ${(error as Error).message}`);
    });
    return this.queue;
  }

  private async load(): Promise<Project | undefined> {
    try {
      return await loadProject(this.root);
    } catch (error) {
      this.terminal.line(
        "ERROR",
        "",
        `${(error as Error).message}\n(fix it and save: backend dev keeps watching)`,
      );
      return undefined;
    }
  }

  /**
   * `names`: the functions whose files changed (undefined: all). Their results are all printed, an
   * unchanged one too (saving a fix that restores the running version); of a deploy of all, only
   * what changed, except at the start (`mirror`), where the list says what runs.
   */
  private async deploy(project: Project, names: string[] | undefined, mirror: boolean): Promise<void> {
    const started = performance.now();
    if (project.functions.length === 0 && !mirror) return;
    const results = await deployFunctions(this.target, project, names, { force: mirror });
    const ms = Math.round(performance.now() - started);
    let printed = 0;
    for (const result of results) if (this.report(result, mirror || names !== undefined, ms)) printed++;
    if (printed === 0 && !mirror) this.terminal.line("DEV", "", "no changes to deploy");
    if (mirror && project.functions.length === 0) {
      this.terminal.line(
        "DEV",
        "",
        `no functions in ${path.relative(this.root, project.functionsDir) || "."} yet`,
      );
    }
    this.refreshTypes(project);
  }

  /** Prints one result (an unchanged one only with `showUnchanged`); answers whether it did. */
  private report(result: DeployOutcome, showUnchanged: boolean, ms: number): boolean {
    const version = result.version === undefined ? "" : ` v${result.version}`;
    switch (result.status) {
      case "deployed":
        this.terminal.line("DEV", result.name, `deployed${version} (${ms} ms)`);
        return true;
      case "deleted":
        this.terminal.line("DEV", result.name, "removed (not in the functions folder)");
        return true;
      case "error":
        this.terminal.line("ERROR", result.name, `deploy failed: ${result.error ?? "unknown error"}`);
        return true;
      default:
        if (showUnchanged)
          this.terminal.line("DEV", result.name, `unchanged${version} (the version running)`);
        return showUnchanged;
    }
  }

  private async remove(name: string): Promise<void> {
    try {
      await deleteServerFunction(this.target, name);
      this.terminal.line("DEV", name, "removed (its files are gone)");
    } catch (error) {
      this.terminal.line("ERROR", name, `could not remove it: ${(error as Error).message}`);
    }
  }

  /** Keeps the functions' types in step, in projects that have them (made by `backend init`). */
  private refreshTypes(project: Project): void {
    const file = path.join(project.root, DEFAULT_TYPES_FILE);
    if (!existsSync(file)) return;
    try {
      const [main] = generateTypes(project, file);
      if (main?.status === "written") this.terminal.line("DEV", "", `updated ${main.file}`);
    } catch (error) {
      this.terminal.line("WARN", "", `could not update ${DEFAULT_TYPES_FILE}: ${(error as Error).message}`);
    }
  }
}

/** The functions a batch of changed files belongs to; "all" when one belongs to none (shared code). */
export function affectedNames(before: Project, after: Project, files: string[]): string[] | "all" {
  const names = new Set<string>();
  for (const fn of after.functions) if (!before.functions.some((f) => f.name === fn.name)) names.add(fn.name);
  for (const file of files) {
    const owners = after.functions.filter((fn) => belongsTo(fn, file));
    const previousOwners = before.functions.filter((fn) => belongsTo(fn, file));
    if (owners.length === 0 && previousOwners.length === 0) {
      if (
        isInside(after.functionsDir, file) ||
        isInside(before.functionsDir, file) ||
        isProjectConfig(after, file)
      ) {
        return "all";
      }
      continue;
    }
    for (const fn of owners) names.add(fn.name);
  }
  return [...names];
}

/** A single-file function is its file; a folder function, everything in its folder. */
function belongsTo(fn: LocalFunction, file: string): boolean {
  return fn.kind === "file" ? file === fn.entryFile : isInside(fn.dir, file);
}

function isInside(dir: string, file: string): boolean {
  return file.startsWith(dir + path.sep);
}

function isProjectConfig(project: Project, file: string): boolean {
  return path.dirname(file) === project.root && path.basename(file) === "backend.config.jsonc";
}
