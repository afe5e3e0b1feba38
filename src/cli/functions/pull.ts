// `backend functions pull [name] [--json]`: writes deployed functions back into the project (their
// files, function.jsonc and the functions/_shared/ helpers they use), reporting each function as
// written or unchanged. Nothing local is deleted. Exits with 1 when a function could not be pulled.
import { mkdirSync } from "node:fs";
import { Command } from "commander";
import { type PullOutcome, pullFunctions } from "../../project/pullProject.js";
import { CliError } from "../apiClient.js";
import { Progress, print, printJson, resultLine } from "./output.js";
import { openProject, type ProjectFlags, projectRoot, projectTarget, withProject } from "./projectContext.js";

interface PullFlags extends ProjectFlags {
  json?: boolean;
}

export function pullCommand(): Command {
  return withProject(
    new Command("pull")
      .description("write deployed functions into the project (each: written or unchanged)")
      .argument("[name]", "only this function (default: every function on the server)")
      .option("--json", "print the outcomes as JSON"),
  ).action(async (name: string | undefined, flags: PullFlags) => {
    mkdirSync(projectRoot(flags), { recursive: true });
    const project = await openProject(flags);
    const target = projectTarget(flags, project);
    const progress = new Progress();
    let outcomes: PullOutcome[];
    try {
      outcomes = await pullFunctions(target, project, name?.replace(/^\/+|\/+$/g, ""), {
        onProgress: ({ name: fn, done, total }) => progress.update(`[${done}/${total}] pulled ${fn}`),
      });
    } finally {
      progress.clear();
    }
    if (flags.json) printJson(outcomes);
    else if (outcomes.length === 0)
      print(progress, `No functions on ${target.url}; deploy some with 'backend functions deploy'`);
    else {
      const width = Math.max(...outcomes.map((o) => o.name.length));
      for (const o of outcomes) {
        const detail = o.status === "error" ? (o.error ?? "") : o.written.join(", ");
        print(progress, resultLine(o.status, o.name, o.note ? `${detail}\n(${o.note})` : detail, width));
      }
    }
    const failed = outcomes.filter((o) => o.status === "error");
    if (failed.length > 0) {
      throw new CliError(
        `${failed.length} function(s) could not be pulled: ${failed.map((o) => o.name).join(", ")}`,
      );
    }
  });
}
