// `backend functions rollback <name> [version] [--json]`: makes an older version run again (by
// default the one before the active one). Nothing is deleted; the next deploy adds a new version.
import { Command } from "commander";
import { rollbackServerFunction } from "../../project/serverFunctions.js";
import { CliError } from "../apiClient.js";
import { printJson } from "./output.js";
import { openProject, type ProjectFlags, projectTarget, withProject } from "./projectContext.js";

export function rollbackCommand(): Command {
  return withProject(
    new Command("rollback")
      .description("run an older version of a function again (default: the one before the active one)")
      .argument("<name>", "the function's name")
      .argument("[version]", "the version to run (see 'backend functions versions <name>')")
      .option("--json", "print JSON"),
  ).action(async (name: string, version: string | undefined, flags: ProjectFlags & { json?: boolean }) => {
    const number = version === undefined ? undefined : Number(version.replace(/^v/, ""));
    if (number !== undefined && (!Number.isInteger(number) || number < 1)) {
      throw new CliError(`The version must be a whole number such as 3, not '${version}'`);
    }
    const project = await openProject(flags).catch(() => undefined);
    const answer = await rollbackServerFunction(projectTarget(flags, project), name, number);
    if (flags.json) return printJson(answer);
    process.stdout.write(
      `${answer.name}: version ${answer.version} runs now (was version ${answer.previousVersion})\n`,
    );
  });
}
