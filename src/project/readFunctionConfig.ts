// A local function's config, checked before anything is sent: function.jsonc, or a single file's
// `export const config = {...}`. Each problem is reported on its own line as `file:line: field
// message`, with the same schema and words as the server (src/functions/deploy/functionConfig.ts).
import { readFile } from "node:fs/promises";
import type { Config } from "../config/config.js";
import { ValidationError } from "../core/errors.js";
import { readEntryConfig } from "../functions/deploy/detectForm.js";
import {
  type ConfigProblem,
  checkFunctionConfig,
  type FunctionConfig,
} from "../functions/deploy/functionConfig.js";
import { loaderFor } from "../functions/deploy/sourceFiles.js";
import { lineAndColumn, lineOf, parseJsonc } from "./jsoncFile.js";
import { ProjectError } from "./projectError.js";

type Limits = Pick<Config["functions"], "maxTimeoutMs" | "memoryMb">;

/** function.jsonc: `display` is its path relative to the project. */
export async function readConfigFile(file: string, display: string, limits: Limits): Promise<FunctionConfig> {
  const jsonc = parseJsonc(await readFile(file, "utf8"), display);
  const checked = checkFunctionConfig(jsonc.value, limits);
  if (checked.config) return checked.config;
  throw problemsError(display, checked.problems, (p) => lineOf(jsonc, p.path));
}

/** `export const config` of an entry file, if it has one ({} otherwise). */
export async function readExportedConfig(
  file: string,
  display: string,
  limits: Limits,
): Promise<FunctionConfig> {
  const source = await readFile(file, "utf8");
  let exported: unknown;
  try {
    exported = await readEntryConfig(source, loaderFor(file), display);
  } catch (error) {
    if (error instanceof ValidationError) throw fromValidationError(error);
    throw error;
  }
  const checked = checkFunctionConfig(exported ?? {}, limits);
  if (checked.config) return checked.config;
  // The syntax tree read is of the compiled JavaScript; the declaration's line is the useful place.
  const at = /export\s+const\s+config\b/.exec(source);
  const line = at ? lineAndColumn(source, at.index).line : 1;
  throw problemsError(`${display}`, checked.problems, () => line, " (export const config)");
}

function problemsError(
  display: string,
  problems: ConfigProblem[],
  lineFor: (problem: ConfigProblem) => number,
  suffix = "",
): ProjectError {
  const lines = problems.map((p) => {
    const text = p.field ? `${p.field} ${p.message}` : p.message;
    return `${display}:${lineFor(p)}:${suffix} ${text}`;
  });
  const first = problems[0]!;
  return new ProjectError(lines.join("\n"), {
    file: display,
    line: lineFor(first),
    ...(first.field ? { field: first.field } : {}),
  });
}

/** A server-side check run locally (its message starts with `file:line`) as a ProjectError. */
export function fromValidationError(error: ValidationError): ProjectError {
  const at = /^([^\s:]+):(\d+)/.exec(error.message);
  return new ProjectError(error.message, at ? { file: at[1]!, line: Number(at[2]) } : {});
}
