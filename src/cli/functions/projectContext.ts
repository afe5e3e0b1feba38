// What the project commands start from: the project folder (--dir, else the nearest folder up from
// here with backend.config.jsonc, else here) and the server (--url, else BACKEND_URL, else
// `serverUrl` of backend.config.jsonc, else http://127.0.0.1:8787) with the admin key.
import { existsSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { loadProject, type Project } from "../../project/loadProject.js";
import { PROJECT_CONFIG_FILE } from "../../project/projectConfig.js";
import { ProjectError } from "../../project/projectError.js";
import { type ApiTarget, CliError, targetFrom, withTarget } from "../apiClient.js";

export interface ProjectFlags {
  dir?: string;
  url?: string;
  adminKey?: string;
}

/** Adds --dir, --url and --admin-key. */
export function withProject(command: Command): Command {
  return withTarget(command).option(
    "--dir <folder>",
    "the project folder (default: the nearest folder up from here with backend.config.jsonc, else this one)",
  );
}

export function projectRoot(flags: ProjectFlags, cwd = process.cwd()): string {
  if (flags.dir) return path.resolve(cwd, flags.dir);
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, PROJECT_CONFIG_FILE))) return dir;
    if (path.dirname(dir) === dir) return cwd;
  }
}

/** The project, with a broken backend.config.jsonc reported as the CLI reports errors. */
export async function openProject(flags: ProjectFlags): Promise<Project> {
  try {
    return await loadProject(projectRoot(flags));
  } catch (error) {
    if (error instanceof ProjectError) throw new CliError(error.message);
    throw error;
  }
}

export function projectTarget(flags: ProjectFlags, project?: Pick<Project, "serverUrl">): ApiTarget {
  const url = flags.url || process.env.BACKEND_URL || project?.serverUrl;
  return targetFrom({ ...flags, ...(url ? { url } : {}) });
}
