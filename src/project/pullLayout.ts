// Where a deployed function's files go in the project, so that loading the project again finds the
// same function with the same files and config:
// - a function the project already has: where it is now;
// - one own file named for the function (trial-reminder.js for trial-reminder) whose config is empty
//   or is that file's `export const config`: a single file, functions/trial-reminder.js;
// - otherwise a folder, functions/<name>/, with function.jsonc holding the config when there is one
//   (or when the folder has no entry.ts / entry.js, which is how a folder is known as a function).
// `_shared/<path>` files go to functions/_shared/<path>.
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { parse } from "jsonc-parser";
import { readEntryConfig } from "../functions/deploy/detectForm.js";
import { checkFunctionConfig, type FunctionConfig } from "../functions/deploy/functionConfig.js";
import { isCode, loaderFor, SHARED_PREFIX } from "../functions/deploy/sourceFiles.js";
import { CONFIG_FILE_NAME, SHARED_DIR } from "./discoverFunctions.js";
import { displayOf, isInside } from "./fileRoles.js";
import type { Project } from "./loadProject.js";
import { ProjectError } from "./projectError.js";
import type { FunctionDetail } from "./serverFunctions.js";

export interface PlannedFile {
  /** Absolute. */
  path: string;
  content: string;
  /** A functions/_shared/ helper. */
  shared?: boolean;
  /** Whether an existing file already says the same (a function.jsonc with comments, say). */
  sameAs?: (current: string) => boolean;
}

const ENTRY_FILES = ["entry.ts", "entry.js"];
/** Only to normalize a config read from a file the way the server did when it stored it. */
const LIMITS = { maxTimeoutMs: Number.MAX_SAFE_INTEGER, memoryMb: Number.MAX_SAFE_INTEGER };

export async function planFiles(project: Project, detail: FunctionDetail): Promise<PlannedFile[]> {
  const own = Object.entries(detail.files).filter(([key]) => !key.startsWith(SHARED_PREFIX));
  const shared = Object.entries(detail.files).filter(([key]) => key.startsWith(SHARED_PREFIX));
  const sharedDir = path.join(project.functionsDir, SHARED_DIR);
  const planned: PlannedFile[] = shared.map(([key, content]) => ({
    path: inside(sharedDir, key.slice(SHARED_PREFIX.length), project),
    content,
    shared: true,
  }));

  const local = project.functions.find((fn) => fn.name === detail.name);
  const single = local ? local.kind === "file" : await isSingleFile(detail, own);
  if (single) {
    const [key, content] = own.length === 1 ? own[0]! : [undefined, ""];
    if (key === undefined || (local && key !== path.basename(local.entryFile))) {
      throw new ProjectError(
        `'${detail.name}' is the single file ${displayOf(project.root, local!.entryFile)} here but has the files ` +
          `${own.map(([k]) => k).join(", ")} on the server; move the file away and pull again to get a folder`,
      );
    }
    const dir = local ? local.dir : path.join(project.functionsDir, ...detail.name.split("/").slice(0, -1));
    planned.push({ path: inside(dir, key, project), content });
    return planned;
  }

  const dir = local ? local.dir : path.join(project.functionsDir, ...detail.name.split("/"));
  for (const [key, content] of own) planned.push({ path: inside(dir, key, project), content });
  const config = detail.config ?? {};
  const needsMarker = !own.some(([key]) => ENTRY_FILES.includes(key));
  if (Object.keys(config).length > 0 || needsMarker || local?.configFile) {
    planned.push({
      path: local?.configFile ?? path.join(dir, CONFIG_FILE_NAME),
      content: `${JSON.stringify(config, null, 2)}\n`,
      sameAs: (current) =>
        isDeepStrictEqual(parse(current, [], { allowTrailingComma: true }) ?? null, config),
    });
  }
  return planned;
}

/** One own file named for the function, carrying its whole config (or there is none). */
async function isSingleFile(detail: FunctionDetail, own: [string, string][]): Promise<boolean> {
  if (own.length !== 1) return false;
  const [key, content] = own[0]!;
  const last = detail.name.split("/").at(-1)!;
  if (key.includes("/") || !isCode(key) || key.replace(/\.[^.]+$/, "") !== last) return false;
  const config = detail.config ?? {};
  if (Object.keys(config).length === 0) return true;
  return exportedConfigIs(content, key, config);
}

/** Whether the file's `export const config` is the stored config (then no function.jsonc is needed). */
async function exportedConfigIs(source: string, key: string, config: FunctionConfig): Promise<boolean> {
  try {
    const exported = await readEntryConfig(source, loaderFor(key), key);
    const checked = checkFunctionConfig(exported ?? {}, LIMITS);
    return checked.config !== undefined && isDeepStrictEqual(checked.config, config);
  } catch {
    return false;
  }
}

function inside(dir: string, key: string, project: Project): string {
  const file = path.resolve(dir, ...key.split("/"));
  if (!isInside(project.functionsDir, file)) {
    throw new ProjectError(
      `The server sent the file '${key}', which would land outside ${project.functionsDir}`,
    );
  }
  return file;
}
