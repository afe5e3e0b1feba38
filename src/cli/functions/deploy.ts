// `backend functions deploy [names...] [--force] [--json]`: bundles the project's functions here and
// deploys them; each is reported as deployed (a new version), unchanged or error (with the reason),
// and with --force server functions missing from the project are deleted. Exits with 1 when any
// function failed.
import { existsSync } from "node:fs";
import { Command } from "commander";
import { type DeployOutcome, deployFunctions } from "../../project/deployProject.js";
import { displayOf } from "../../project/fileRoles.js";
import type { Project } from "../../project/loadProject.js";
import { ProjectError } from "../../project/projectError.js";
import { CliError } from "../apiClient.js";
import { Progress, print, printJson, resultLine } from "./output.js";
import { openProject, type ProjectFlags, projectTarget, withProject } from "./projectContext.js";

interface DeployFlags extends ProjectFlags {
  force?: boolean;
  json?: boolean;
}

export function deployCommand(): Command {
  return withProject(
    new Command("deploy")
      .description("bundle the project's functions and deploy them (each: deployed, unchanged or error)")
      .argument("[names...]", "only these functions (default: every function in the project)")
      .option("--force", "also delete the server's functions that are missing from the project")
      .option("--json", "print the outcomes as JSON"),
  ).action(async (names: string[], flags: DeployFlags) => {
    const project = await openProject(flags);
    if (flags.force && !existsSync(project.functionsDir)) {
      throw new CliError(
        `${project.functionsDir} does not exist, and --force would delete every function on the server. ` +
          "Run it from the project folder (or pass --dir), or delete functions by name with 'backend functions delete'",
      );
    }
    if (project.functions.length === 0 && !flags.force) {
      throw new CliError(
        `No functions in ${displayOf(project.root, project.functionsDir)}/ (${project.root}). Create one with ` +
          "'backend functions create <name>', or run this from the project folder (or pass --dir)",
      );
    }
    await runDeploy(flags, project, names, { force: flags.force ?? false, json: flags.json ?? false });
  });
}

/** Deploys, prints each outcome as it comes (or all as JSON), and fails when one failed. */
export async function runDeploy(
  flags: ProjectFlags,
  project: Project,
  names: string[] | undefined,
  options: { force: boolean; json: boolean },
): Promise<DeployOutcome[]> {
  const target = projectTarget(flags, project);
  const progress = new Progress();
  const width = Math.max(0, ...project.functions.map((fn) => fn.name.length));
  const count = names?.length || project.functions.length;
  if (!options.json) progress.note(`Deploying ${count} function${count === 1 ? "" : "s"} to ${target.url}`);
  let outcomes: DeployOutcome[];
  try {
    outcomes = await deployFunctions(target, project, names, {
      force: options.force,
      onProgress: ({ name, step, done, total, outcome }) => {
        if (outcome && !options.json) print(progress, describe(outcome, width));
        else progress.update(`[${done}/${total}] ${step} ${name}`);
      },
    });
  } catch (error) {
    if (error instanceof ProjectError) throw new CliError(error.message);
    throw error;
  } finally {
    progress.clear();
  }
  if (options.json) printJson(outcomes);
  const failed = outcomes.filter((o) => o.status === "error");
  if (!options.json) print(progress, summary(outcomes));
  if (failed.length > 0) {
    throw new CliError(
      `${failed.length} function${failed.length === 1 ? "" : "s"} failed (${failed.map((o) => o.name).join(", ")}): ` +
        "fix what is said above and deploy again",
    );
  }
  return outcomes;
}

export function describe(outcome: DeployOutcome, width = 0): string {
  const detail =
    outcome.status === "error" ? (outcome.error ?? "") : outcome.version ? `version ${outcome.version}` : "";
  return resultLine(outcome.status, outcome.name, detail, width);
}

function summary(outcomes: DeployOutcome[]): string {
  const counts = new Map<string, number>();
  for (const o of outcomes) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
  const parts = ["deployed", "unchanged", "deleted", "error"]
    .filter((s) => counts.has(s))
    .map((s) => `${counts.get(s)} ${s === "error" ? (counts.get(s) === 1 ? "error" : "errors") : s}`);
  return parts.length > 0 ? parts.join(", ") : "Nothing to deploy";
}
