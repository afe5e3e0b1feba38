// `backend functions create <name|file>`: a name scaffolds functions/<name>/entry.ts with an
// example to start from; a file (seed 000: `backend functions create trial-reminder.js`) becomes a
// single-file function of the project and is deployed.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { ValidationError } from "../../core/errors.js";
import { checkFunctionName } from "../../functions/deploy/functionName.js";
import { displayOf } from "../../project/fileRoles.js";
import { CliError } from "../apiClient.js";
import { runDeploy } from "./deploy.js";
import { Progress } from "./output.js";
import { openProject, type ProjectFlags, withProject } from "./projectContext.js";
import { fileArgument, nameOfFile, placeFile } from "./singleFile.js";

interface CreateFlags extends ProjectFlags {
  name?: string;
  json?: boolean;
}

export function createCommand(): Command {
  return withProject(
    new Command("create")
      .description(
        "start a function: a name scaffolds functions/<name>/entry.ts; a file is added and deployed",
      )
      .argument("<name|file>", "a new function's name (hello, email/send), or a .js/.ts file to deploy")
      .option("--name <name>", "the function's name for a file (default: the file's name without extension)")
      .option("--json", "print the deploy's outcome as JSON"),
  ).action(async (arg: string, flags: CreateFlags) => {
    const project = await openProject(flags);
    const file = fileArgument(arg);
    if (!file)
      return scaffold(
        project.root,
        project.functionsDir,
        arg,
        project.functions.map((f) => f.name),
      );

    const name = nameOfFile(file, flags.name);
    const copied = placeFile(project, file, name, false);
    if (copied) new Progress().note(copied);
    const reloaded = copied ? await openProject({ ...flags, dir: project.root }) : project;
    const local = reloaded.functions.find((fn) => fn.name === name || fn.entryFile === file);
    if (!local)
      throw new CliError(
        `${file} is in the functions folder but is not a function (names starting with _ or . are not)`,
      );
    await runDeploy(flags, reloaded, [local.name], { force: false, json: flags.json ?? false });
  });
}

function scaffold(root: string, functionsDir: string, name: string, existing: string[]): void {
  try {
    checkFunctionName(name);
  } catch (error) {
    if (error instanceof ValidationError) throw new CliError(error.message);
    throw error;
  }
  const dir = path.join(functionsDir, ...name.split("/"));
  if (existing.includes(name) || existsSync(dir) || existsSync(`${dir}.ts`) || existsSync(`${dir}.js`)) {
    throw new CliError(
      `The project already has '${name}' (${displayOf(root, dir)}); edit it and run 'backend functions update ${name}'`,
    );
  }
  const entry = path.join(dir, "entry.ts");
  mkdirSync(dir, { recursive: true });
  writeFileSync(entry, example(name));
  process.stdout.write(
    `Created ${displayOf(root, entry)}\n` +
      `Deploy it with 'backend functions deploy ${name}' (or run 'backend dev', which deploys on every save),\n` +
      `then call it: backend functions invoke ${name} -d '{"name":"Ada"}'\n`,
  );
}

function example(name: string): string {
  return `// ${name}: runs when the app calls it (backend.executeFunction("${name}", { name: "Ada" })), over
// HTTP (POST /functions/${name}), or on events and schedules set in a function.jsonc beside this file.
// \`backend\` is a global here (records, email, events, other functions); console output becomes
// the execution's logs (backend functions logs ${name}).
export default async function (event: { name?: string }) {
  console.log("greeting", event.name);
  return { message: \`Hello, \${event.name ?? "world"}!\` };
}
`;
}
