// Writes a new project's files, refusing to overwrite any that exist (unless forced), so that
// `backend init` in a folder with work in it changes nothing until the user says so. An existing
// .gitignore is extended with the lines it lacks rather than replaced.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CliError } from "../apiClient.js";

export interface WriteReport {
  written: string[];
  /** .gitignore when lines were added to an existing one. */
  updated: string[];
}

export function writeProject(
  root: string,
  files: Record<string, string>,
  gitignoreLines: string[],
  force: boolean,
): WriteReport {
  const existing = Object.keys(files).filter((file) => existsSync(path.join(root, file)));
  if (existing.length > 0 && !force) {
    const shown =
      existing.slice(0, 10).join(", ") + (existing.length > 10 ? `, and ${existing.length - 10} more` : "");
    throw new CliError(
      `${path.relative(process.cwd(), root) || "This folder"} already has ${shown}; nothing was written. Run 'backend init' in an empty folder (backend init my-app), or pass --force to overwrite these files.`,
    );
  }
  const report: WriteReport = { written: [], updated: [] };
  for (const [file, text] of Object.entries(files)) {
    const target = path.join(root, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
    report.written.push(file);
  }
  const gitignore = path.join(root, ".gitignore");
  if (!existsSync(gitignore)) {
    writeFileSync(gitignore, `${gitignoreLines.join("\n")}\n`);
    report.written.push(".gitignore");
  } else {
    const text = readFileSync(gitignore, "utf8");
    const present = new Set(text.split(/\r?\n/).map((line) => line.trim()));
    const missing = gitignoreLines.filter(
      (line) => !present.has(line) && !present.has(line.replace(/\/$/, "")),
    );
    if (missing.length > 0) {
      writeFileSync(
        gitignore,
        `${text}${text === "" || text.endsWith("\n") ? "" : "\n"}${missing.join("\n")}\n`,
      );
      report.updated.push(".gitignore");
    }
  }
  return report;
}
