// `create <file>` and `update <file>`: a file given by path becomes (or refreshes) a single-file
// function of the project, functions/<name>.js, as seed 000 does with
// `backend functions create trial-reminder.js`. The project's copy is what deploys read.
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { ValidationError } from "../../core/errors.js";
import { checkFunctionName } from "../../functions/deploy/functionName.js";
import { displayOf, isInside } from "../../project/fileRoles.js";
import type { Project } from "../../project/loadProject.js";
import { CliError } from "../apiClient.js";

const CODE_FILE = /\.(ts|js|mts|mjs|tsx|jsx)$/;

/** The absolute path when `arg` names a code file (existing or meant to), else undefined (a name). */
export function fileArgument(arg: string, cwd = process.cwd()): string | undefined {
  const file = path.resolve(cwd, arg);
  if (existsSync(file) && statSync(file).isFile()) return realpathSync(file);
  if (CODE_FILE.test(arg)) {
    throw new CliError(
      `${arg} does not exist (looked in ${cwd}); to start a new function, give a name: backend functions create hello`,
    );
  }
  return undefined;
}

export function nameOfFile(file: string, given?: string): string {
  const name = given ?? path.basename(file).replace(CODE_FILE, "");
  try {
    return checkFunctionName(name);
  } catch (error) {
    if (error instanceof ValidationError) throw new CliError(`${error.message}; choose another with --name`);
    throw error;
  }
}

/**
 * Puts `file` in the project as the single-file function `name`, unless it is already there; returns
 * what it did, for the user. Refuses to replace a different file unless `replace`.
 */
export function placeFile(
  project: Project,
  file: string,
  name: string,
  replace: boolean,
): string | undefined {
  if (isInside(project.functionsDir, file)) return undefined;
  const local = project.functions.find((fn) => fn.name === name);
  if (local && local.kind === "folder") {
    throw new CliError(
      `'${name}' is the folder ${displayOf(project.root, local.dir)}/ in this project; edit its files there and ` +
        `run 'backend functions update ${name}'`,
    );
  }
  const target = local?.entryFile ?? path.join(project.functionsDir, ...name.split("/")) + path.extname(file);
  const shown = displayOf(project.root, target);
  if (existsSync(target)) {
    if (readFileSync(target, "utf8") === readFileSync(file, "utf8")) return undefined;
    if (!replace) {
      throw new CliError(
        `${shown} already exists and differs from ${file}; run 'backend functions update ${path.basename(file)}' ` +
          `to replace it, or edit ${shown} and run 'backend functions update ${name}'`,
      );
    }
  }
  mkdirSync(path.dirname(target), { recursive: true });
  copyFileSync(file, target);
  return `Copied ${file} to ${shown} (the project's copy, which deploys read)`;
}
