// `backend functions delete <names...> [--json]`: deletes functions and their versions from the
// server (their executions stay). The project's files are kept: a later deploy would bring a
// function back, so the message says where it still is.
import { Command } from "commander";
import { displayOf } from "../../project/fileRoles.js";
import { deleteServerFunction } from "../../project/serverFunctions.js";
import { CliError } from "../apiClient.js";
import { printJson, resultLine } from "./output.js";
import { openProject, type ProjectFlags, projectTarget, withProject } from "./projectContext.js";

interface DeleteOutcome {
  name: string;
  status: "deleted" | "error";
  error?: string;
}

export function deleteCommand(): Command {
  return withProject(
    new Command("delete")
      .description("delete functions from the server (versions too; executions stay; local files stay)")
      .argument("<names...>", "one or more function names")
      .option("--json", "print the outcomes as JSON"),
  ).action(async (names: string[], flags: ProjectFlags & { json?: boolean }) => {
    const project = await openProject(flags).catch(() => undefined);
    const target = projectTarget(flags, project);
    const outcomes: DeleteOutcome[] = [];
    for (const name of names) {
      try {
        await deleteServerFunction(target, name);
        outcomes.push({ name, status: "deleted" });
      } catch (error) {
        outcomes.push({ name, status: "error", error: (error as Error).message });
      }
    }
    if (flags.json) printJson(outcomes);
    else {
      const width = Math.max(...names.map((n) => n.length));
      for (const o of outcomes)
        process.stdout.write(`${resultLine(o.status, o.name, o.error ?? "", width)}\n`);
      const kept = project?.functions.filter((fn) =>
        outcomes.some((o) => o.status === "deleted" && o.name === fn.name),
      );
      if (project && kept && kept.length > 0) {
        const places = kept.map((fn) => displayOf(project.root, fn.kind === "file" ? fn.entryFile : fn.dir));
        process.stderr.write(
          `Still in the project (the next deploy brings them back): ${places.join(", ")}\n`,
        );
      }
    }
    const failed = outcomes.filter((o) => o.status === "error");
    if (failed.length > 0) throw new CliError(`Could not delete ${failed.map((o) => o.name).join(", ")}`);
  });
}
