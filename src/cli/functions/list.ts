// `backend functions list [--json]`: the deployed functions with their version, access, triggers
// and last run.
import { Command } from "commander";
import type { FunctionItem } from "../../project/serverFunctions.js";
import { listServerFunctions } from "../../project/serverFunctions.js";
import { ago, printJson, table } from "./output.js";
import { openProject, type ProjectFlags, projectTarget, withProject } from "./projectContext.js";

export function listCommand(): Command {
  return withProject(
    new Command("list")
      .description("list the deployed functions with access, triggers and last run")
      .option("--json", "print JSON"),
  ).action(async (flags: ProjectFlags & { json?: boolean }) => {
    const project = await openProject(flags).catch(() => undefined);
    const items = await listServerFunctions(projectTarget(flags, project));
    if (flags.json) return printJson(items);
    if (items.length === 0) {
      process.stdout.write("No functions deployed. Deploy the project's with: backend functions deploy\n");
      return;
    }
    const rows = items.map((fn) => [fn.name, String(fn.version), fn.access, triggersOf(fn), lastRunOf(fn)]);
    process.stdout.write(`${table(["NAME", "VERSION", "ACCESS", "TRIGGERS", "LAST RUN"], rows)}\n`);
  });
}

function triggersOf(fn: FunctionItem): string {
  const parts = [
    ...fn.triggers.events.map((e) => `event ${e.event}${e.active === false ? " (inactive)" : ""}`),
    ...fn.triggers.schedules.map((s) => `schedule ${s.schedule}${s.timezone ? ` (${s.timezone})` : ""}`),
  ];
  return parts.length > 0 ? parts.join(", ") : "-";
}

function lastRunOf(fn: FunctionItem): string {
  const run = fn.lastRun;
  if (!run) return "never";
  const duration = run.durationMs === null ? "" : `, ${Math.round(run.durationMs)} ms`;
  return `${run.status} ${ago(run.startedAt)} (${run.trigger}${duration})`;
}
