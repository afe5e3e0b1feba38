// `backend init [dir] [--force]`: creates a project (functions/ with one example per form,
// backend.config.jsonc, tsconfig.json, .gitignore and the declarations in types/ that teach the
// editor the sandbox and the SDK), then says what to do next.
import path from "node:path";
import { Command } from "commander";
import { GITIGNORE_LINES, projectFiles } from "./init/projectFiles.js";
import { writeProject } from "./init/writeProject.js";

interface InitFlags {
  force?: boolean;
}

export function initCommand(): Command {
  return new Command("init")
    .description("create a project: example functions, backend.config.jsonc, tsconfig.json and types")
    .argument("[dir]", "folder to create the project in (default: the current folder)")
    .option("-f, --force", "overwrite files that already exist")
    .action((dir: string | undefined, flags: InitFlags) => {
      const root = path.resolve(dir ?? ".");
      const report = writeProject(root, projectFiles(root), GITIGNORE_LINES, flags.force === true);
      process.stdout.write(summary(root, dir, report));
    });
}

function summary(
  root: string,
  dir: string | undefined,
  report: { written: string[]; updated: string[] },
): string {
  const shown = report.written.filter((file) => !file.startsWith("types/sdk/"));
  const sdk = report.written.length - shown.length;
  const lines = [
    `Created a backend project in ${root}:`,
    ...shown.map((file) => `  ${file}`),
    ...(sdk > 0 ? [`  types/sdk/ (${sdk} files: the SDK's types)`] : []),
    ...report.updated.map((file) => `  ${file} (added .backend/ and node_modules/)`),
    "",
    "Next steps:",
    ...(dir ? [`  cd ${dir}`] : []),
    "  backend dev                       local server: deploys functions/, redeploys on save, prints logs",
    `  curl http://127.0.0.1:8787/api/functions/hello/invoke -H 'content-type: application/json' -d '{"name":"Ada"}'`,
    "  backend types generate            after adding functions: typed calls by name in your app",
    "  npx -p typescript tsc --noEmit    type-check the functions",
    "",
    "Read more: docs/dev.md (local development) and docs/functions.md (writing functions).",
    "",
  ];
  return lines.join("\n");
}
