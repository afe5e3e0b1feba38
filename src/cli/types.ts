// `backend types generate [--out file]`: writes types naming this project's functions and their
// payloads and results (from `Payload` / `Result` types their entries export), so that
// `executeFunction("name", ...)` and `functions.invoke("name", ...)` are checked in the app's code.
import path from "node:path";
import { Command } from "commander";
import { loadProject } from "../project/loadProject.js";
import { ProjectError } from "../project/projectError.js";
import { CliError } from "./apiClient.js";
import { DEFAULT_TYPES_FILE } from "./types/functionTypes.js";
import { generateTypes } from "./types/generateTypes.js";

interface GenerateFlags {
  out?: string;
  json?: boolean;
}

export function typesCommand(): Command {
  const types = new Command("types").description("TypeScript types for this project");
  types.addCommand(
    new Command("generate")
      .description("write types for this project's function names and payloads, so calls by name are checked")
      .option("-o, --out <file>", `the file to write (default: ${DEFAULT_TYPES_FILE} in the project)`)
      .option("--json", "print what was written as JSON")
      .action(async (flags: GenerateFlags) => {
        const project = await loadOrExplain(process.cwd());
        const out = flags.out ? path.resolve(flags.out) : path.join(project.root, DEFAULT_TYPES_FILE);
        const results = generateTypes(project, out);
        if (flags.json) {
          process.stdout.write(
            `${JSON.stringify({ functions: project.functions.map((f) => f.name), files: results }, null, 2)}\n`,
          );
          return;
        }
        const [main, ...rest] = results;
        const count = project.functions.length;
        process.stdout.write(`${main!.status} ${main!.file} (${count} function${count === 1 ? "" : "s"})\n`);
        const refreshed = rest.filter((r) => r.status === "written");
        if (refreshed.length > 0)
          process.stdout.write(`refreshed ${refreshed.length} declaration file(s) in types/\n`);
        if (!flags.out) return;
        process.stdout.write(`Make sure your tsconfig.json includes ${path.relative(process.cwd(), out)}.\n`);
      }),
  );
  return types;
}

async function loadOrExplain(dir: string) {
  try {
    return await loadProject(dir);
  } catch (error) {
    if (error instanceof ProjectError) throw new CliError(error.message);
    throw error;
  }
}
