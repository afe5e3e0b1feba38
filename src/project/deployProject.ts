// Deploys a project's functions: each one bundled here (bundleLocal) and sent with its files and
// config; the server answers `deployed` (a new version) or `unchanged` (same files, config and
// bundle). With `force`, server functions missing from the project are deleted (first). One function
// failing does not stop the others: each gets its own outcome.
import type { ApiTarget } from "../cli/apiClient.js";
import { bundleLocal } from "./bundleLocal.js";
import { displayOf } from "./fileRoles.js";
import { inParallel } from "./inParallel.js";
import type { LocalFunction, Project } from "./loadProject.js";
import { ProjectError } from "./projectError.js";
import { deleteServerFunction, listServerFunctions, putFunction } from "./serverFunctions.js";

export type DeployStatus = "deployed" | "unchanged" | "deleted" | "error";

export interface DeployOutcome {
  name: string;
  status: DeployStatus;
  version?: number;
  error?: string;
}

export interface DeployProgress {
  name: string;
  step: "bundling" | "uploading" | "deleting" | "done";
  /** Functions finished so far, and how many there are in all. */
  done: number;
  total: number;
  outcome?: DeployOutcome;
}

export interface DeployOptions {
  force?: boolean;
  onProgress?: (progress: DeployProgress) => void;
  /** Functions bundled and sent at a time. */
  parallel?: number;
}

export async function deployFunctions(
  target: ApiTarget,
  project: Project,
  names?: string[],
  options: DeployOptions = {},
): Promise<DeployOutcome[]> {
  if (options.force && names && names.length > 0) {
    throw new ProjectError(
      "--force deletes every server function missing from the project, so it deploys all of them: " +
        "run it without names",
    );
  }
  const { selected, unknown } = select(project, names);
  // One call first: an unreachable server or a wrong key is one clear error, not one per function.
  const onServer = await listServerFunctions(target);
  const local = new Set(project.functions.map((fn) => fn.name));
  const missing = options.force ? onServer.map((f) => f.name).filter((name) => !local.has(name)) : [];

  const total = unknown.length + selected.length + missing.length;
  let done = 0;
  const report = (name: string, step: DeployProgress["step"], outcome?: DeployOutcome) => {
    if (step === "done") done += 1;
    options.onProgress?.({ name, step, done, total, ...(outcome ? { outcome } : {}) });
  };
  const outcomes: DeployOutcome[] = unknown.map((name) => ({
    name,
    status: "error",
    error: `No function named '${name}' in ${displayOf(project.root, project.functionsDir)}/ (${describeLocal(project)})`,
  }));
  for (const outcome of outcomes) report(outcome.name, "done", outcome);

  // Deletes first: the functions going away no longer count against the server's function limit.
  for (const name of missing) {
    report(name, "deleting");
    const outcome = await attempt(name, async () => {
      await deleteServerFunction(target, name);
      return { name, status: "deleted" as const };
    });
    report(name, "done", outcome);
    outcomes.push(outcome);
  }
  const deployed = await inParallel(selected, options.parallel ?? 4, async (fn) => {
    const outcome = await deployOne(target, project, fn, report);
    report(fn.name, "done", outcome);
    return outcome;
  });
  outcomes.push(...deployed);
  return outcomes;
}

async function deployOne(
  target: ApiTarget,
  project: Project,
  fn: LocalFunction,
  report: (name: string, step: DeployProgress["step"]) => void,
): Promise<DeployOutcome> {
  return attempt(fn.name, async () => {
    report(fn.name, "bundling");
    const bundle = await bundleLocal(project, fn);
    report(fn.name, "uploading");
    const answer = await putFunction(target, fn.name, { files: fn.files, config: fn.config, bundle });
    return { name: fn.name, status: answer.status, version: answer.version };
  });
}

async function attempt(name: string, work: () => Promise<DeployOutcome>): Promise<DeployOutcome> {
  try {
    return await work();
  } catch (error) {
    return { name, status: "error", error: (error as Error).message };
  }
}

function select(
  project: Project,
  names: string[] | undefined,
): { selected: LocalFunction[]; unknown: string[] } {
  if (!names || names.length === 0) return { selected: project.functions, unknown: [] };
  const wanted = [...new Set(names.map((n) => n.replace(/^\/+|\/+$/g, "")))];
  return {
    selected: project.functions.filter((fn) => wanted.includes(fn.name)),
    unknown: wanted.filter((name) => !project.functions.some((fn) => fn.name === name)),
  };
}

function describeLocal(project: Project): string {
  if (project.functions.length === 0)
    return "there are none; create one with 'backend functions create <name>'";
  const names = project.functions.map((fn) => fn.name);
  return `there are ${names.length > 10 ? `${names.slice(0, 10).join(", ")}, ...` : names.join(", ")}`;
}
