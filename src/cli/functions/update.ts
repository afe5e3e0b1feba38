// `backend functions update <name|file>`: deploys one function of the project (seed 000:
// `backend functions update trial-reminder`). Given a file outside the project, its content first
// replaces the project's copy of that single-file function.
import { Command } from "commander";
import { displayOf } from "../../project/fileRoles.js";
import { CliError } from "../apiClient.js";
import { runDeploy } from "./deploy.js";
import { Progress } from "./output.js";
import { openProject, type ProjectFlags, withProject } from "./projectContext.js";
import { fileArgument, nameOfFile, placeFile } from "./singleFile.js";

interface UpdateFlags extends ProjectFlags {
  name?: string;
  json?: boolean;
}

export function updateCommand(): Command {
  return withProject(
    new Command("update")
      .description("deploy one function of the project")
      .argument("<name|file>", "the function's name, or a .js/.ts file holding its new version")
      .option("--name <name>", "the function's name for a file (default: the file's name without extension)")
      .option("--json", "print the outcome as JSON"),
  ).action(async (arg: string, flags: UpdateFlags) => {
    let project = await openProject(flags);
    let name = arg.replace(/^\/+|\/+$/g, "");
    const file = fileArgument(arg);
    if (file) {
      const local = project.functions.find((fn) => fn.entryFile === file);
      name = local?.name ?? nameOfFile(file, flags.name);
      const copied = placeFile(project, file, name, true);
      if (copied) {
        new Progress().note(copied);
        project = await openProject({ ...flags, dir: project.root });
      }
    }
    if (!project.functions.some((fn) => fn.name === name)) {
      throw new CliError(
        `No function named '${name}' in ${displayOf(project.root, project.functionsDir)}/; create it with ` +
          `'backend functions create ${name}', or pull it from the server with 'backend functions pull ${name}'`,
      );
    }
    await runDeploy(flags, project, [name], { force: false, json: flags.json ?? false });
  });
}
