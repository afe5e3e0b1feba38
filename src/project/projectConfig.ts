// backend.config.jsonc at the project's root (optional): where the functions are (`functionsDir`,
// default `functions`) and which server the CLI talks to (`serverUrl`). Its `server` section
// configures `backend start` (src/config/config.ts) and is read here only for the limits a
// function.jsonc is checked against; `dev` belongs to `backend dev`.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { type Config, configSchema } from "../config/config.js";
import { lineOf, parseJsonc } from "./jsoncFile.js";
import { ProjectError } from "./projectError.js";

export const PROJECT_CONFIG_FILE = "backend.config.jsonc";
export const DEFAULT_FUNCTIONS_DIR = "functions";

/** The top-level keys backend.config.jsonc may hold. */
export const PROJECT_CONFIG_KEYS = ["$schema", "functionsDir", "serverUrl", "server", "dev"];

export interface ProjectSettings {
  /** Absolute. */
  functionsDir: string;
  serverUrl?: string;
  /** What function.jsonc is checked against before it is sent (the server checks again). */
  limits: Pick<Config["functions"], "maxTimeoutMs" | "memoryMb">;
}

export function readProjectConfig(root: string): ProjectSettings {
  const file = path.join(root, PROJECT_CONFIG_FILE);
  const defaults = configSchema.parse({}).functions;
  if (!existsSync(file)) return { functionsDir: path.join(root, DEFAULT_FUNCTIONS_DIR), limits: defaults };

  const jsonc = parseJsonc(readFileSync(file, "utf8"), PROJECT_CONFIG_FILE);
  const fail = (key: string, message: string): never => {
    const line = lineOf(jsonc, [key]);
    throw new ProjectError(`${PROJECT_CONFIG_FILE}:${line}: ${key} ${message}`, {
      file: PROJECT_CONFIG_FILE,
      line,
      field: key,
    });
  };
  const value = jsonc.value;
  for (const key of Object.keys(value)) {
    if (!PROJECT_CONFIG_KEYS.includes(key)) {
      fail(key, `is not a known field (${PROJECT_CONFIG_KEYS.filter((k) => k !== "$schema").join(", ")})`);
    }
  }

  const dir = value.functionsDir ?? DEFAULT_FUNCTIONS_DIR;
  if (typeof dir !== "string" || dir.trim() === "")
    fail("functionsDir", 'must be a folder name such as "functions"');
  const functionsDir = path.resolve(root, dir as string);
  if (functionsDir === root || !functionsDir.startsWith(root + path.sep)) {
    fail("functionsDir", `must be a folder inside the project (${root}), such as "functions"`);
  }

  const settings: ProjectSettings = { functionsDir, limits: defaults };
  if (value.serverUrl !== undefined) {
    if (typeof value.serverUrl !== "string" || !/^https?:\/\/[^\s/]+/.test(value.serverUrl)) {
      fail("serverUrl", 'must be the server\'s URL, such as "http://127.0.0.1:8787"');
    }
    settings.serverUrl = (value.serverUrl as string).replace(/\/+$/, "");
  }
  // The limits of the server this file configures; a bad `server` section is `backend start`'s to report.
  const server = value.server as { functions?: unknown } | undefined;
  const limits = configSchema.shape.functions.safeParse(server?.functions ?? {});
  if (limits.success) settings.limits = limits.data;
  return settings;
}
