// `backend functions versions <name> [--json]`: every stored version of a function, newest first,
// the one that runs marked; `rollback` picks one of them.
import { Command } from "commander";
import { listServerVersions } from "../../project/serverFunctions.js";
import { printJson, table } from "./output.js";
import { openProject, type ProjectFlags, projectTarget, withProject } from "./projectContext.js";

export function versionsCommand(): Command {
  return withProject(
    new Command("versions")
      .description("list a function's versions, newest first (* runs now)")
      .argument("<name>", "the function's name")
      .option("--json", "print JSON"),
  ).action(async (name: string, flags: ProjectFlags & { json?: boolean }) => {
    const project = await openProject(flags).catch(() => undefined);
    const answer = await listServerVersions(projectTarget(flags, project), name);
    if (flags.json) return printJson(answer);
    const rows = answer.items.map((v) => [
      `${v.active ? "*" : " "} ${v.version}`,
      v.form,
      v.access,
      v.createdAt,
      v.hash.slice(0, 12),
    ]);
    process.stdout.write(`${table(["  VERSION", "FORM", "ACCESS", "DEPLOYED", "HASH"], rows)}\n`);
    if (answer.items.length > 1) {
      process.stderr.write(`Run another with: backend functions rollback ${name} <version>\n`);
    }
  });
}
