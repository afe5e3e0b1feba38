// Writes deployed functions back into the project: each one's files where a deploy reads them (see
// pullLayout.ts), its config as function.jsonc when the file itself does not carry it, and the
// functions/_shared/ helpers it uses. Only files that differ are written; nothing is deleted. A
// project pulled into an empty folder deploys again as `unchanged`.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ApiTarget } from "../cli/apiClient.js";
import { displayOf } from "./fileRoles.js";
import { inParallel } from "./inParallel.js";
import type { Project } from "./loadProject.js";
import { type PlannedFile, planFiles } from "./pullLayout.js";
import { type FunctionDetail, getServerFunction, listServerFunctions } from "./serverFunctions.js";

export interface PullOutcome {
  name: string;
  status: "written" | "unchanged" | "error";
  /** The files written, relative to the project. */
  written: string[];
  error?: string;
  /** Something to know that is not an error (a shared helper two functions disagree on). */
  note?: string;
}

export interface PullOptions {
  onProgress?: (progress: { name: string; done: number; total: number }) => void;
}

export async function pullFunctions(
  target: ApiTarget,
  project: Project,
  name?: string,
  options: PullOptions = {},
): Promise<PullOutcome[]> {
  const names = name ? [name] : (await listServerFunctions(target)).map((fn) => fn.name);
  let done = 0;
  const fetched = await inParallel(names, 4, async (fnName) => {
    let detail: FunctionDetail | Error;
    try {
      detail = await getServerFunction(target, fnName);
    } catch (error) {
      if (name) throw error;
      detail = error as Error;
    }
    options.onProgress?.({ name: fnName, done: ++done, total: names.length });
    return detail;
  });

  // Written one function after the other: functions may share helpers.
  const sharedBy = new Map<string, { by: string; content: string }>();
  const outcomes: PullOutcome[] = [];
  for (const [i, detail] of fetched.entries())
    outcomes.push(await pullOne(project, names[i]!, detail, sharedBy));
  return outcomes;
}

async function pullOne(
  project: Project,
  fnName: string,
  detail: FunctionDetail | Error,
  sharedBy: Map<string, { by: string; content: string }>,
): Promise<PullOutcome> {
  if (detail instanceof Error) return { name: fnName, status: "error", written: [], error: detail.message };
  try {
    const planned = await planFiles(project, detail);
    const note = sharedConflicts(project, fnName, planned, sharedBy);
    const written = planned.filter(writeIfChanged).map((file) => displayOf(project.root, file.path));
    const outcome: PullOutcome = {
      name: fnName,
      status: written.length > 0 ? "written" : "unchanged",
      written,
    };
    if (note) outcome.note = note;
    return outcome;
  } catch (error) {
    return { name: fnName, status: "error", written: [], error: (error as Error).message };
  }
}

function writeIfChanged(file: PlannedFile): boolean {
  if (existsSync(file.path)) {
    const current = readFileSync(file.path, "utf8");
    if (current === file.content || file.sameAs?.(current)) return false;
  }
  mkdirSync(path.dirname(file.path), { recursive: true });
  writeFileSync(file.path, file.content);
  return true;
}

/** The first function pulled decides a shared helper's content; a later one that differs is noted. */
function sharedConflicts(
  project: Project,
  name: string,
  planned: PlannedFile[],
  sharedBy: Map<string, { by: string; content: string }>,
): string | undefined {
  const notes: string[] = [];
  for (let i = planned.length - 1; i >= 0; i--) {
    const file = planned[i]!;
    if (!file.shared) continue;
    const earlier = sharedBy.get(file.path);
    if (!earlier) {
      sharedBy.set(file.path, { by: name, content: file.content });
    } else if (earlier.content !== file.content) {
      notes.push(
        `${displayOf(project.root, file.path)} was deployed with other content in '${earlier.by}'; kept that ` +
          `one (deploy '${name}' again to use it)`,
      );
      planned.splice(i, 1);
    }
  }
  return notes.length > 0 ? notes.join("; ") : undefined;
}
