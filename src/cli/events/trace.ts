// `backend events trace <id> [--json]`: the chain that an id belongs to — request -> PRE handler
// runs -> event -> deliveries -> executions -> the events those published — one line per step,
// indented under what caused it. The id may be a request's, an event's, a delivery's, an
// execution's or a schedule tick's; the server finds the chain's root.
import { Command } from "commander";
import { callApi, targetFrom, withTarget } from "../apiClient.js";
import { printJson } from "../functions/output.js";
import type { Trace, TraceNode } from "./shapes.js";

interface TraceFlags {
  json?: boolean;
  url?: string;
  adminKey?: string;
}

export function traceCommand(): Command {
  return withTarget(
    new Command("trace")
      .description("print what caused what: request, PRE handlers, event, deliveries, executions")
      .argument("<id>", "a request, event, delivery, execution or tick id")
      .option("--json", "print the tree as JSON"),
  ).action(async (id: string, flags: TraceFlags) => {
    const trace = await callApi<Trace>(targetFrom(flags), {
      method: "GET",
      path: `/api/traces/${encodeURIComponent(id)}`,
    });
    if (flags.json) return printJson(trace);
    process.stdout.write(formatTrace(trace.root));
    if (trace.truncated) process.stderr.write("The chain is longer than this: the server cut it short\n");
  });
}

/** The tree, one line per node, each child two spaces further in than what caused it. */
export function formatTrace(root: TraceNode): string {
  const lines: string[] = [];
  const walk = (node: TraceNode, depth: number) => {
    lines.push(`${"  ".repeat(depth)}${nodeLine(node)}`);
    for (const child of node.children) walk(child, depth + 1);
  };
  walk(root, 0);
  return `${lines.join("\n")}\n`;
}

/** e.g. `execution 01J9Z8C1  PRE_USER_CREATE -> check-email (PRE)  error  2030-01-01T09:00:00.004Z (6 ms)  it broke` */
function nodeLine(node: TraceNode): string {
  const subject = [node.type ?? node.schedule, node.function].filter(Boolean).join(" -> ");
  const phase = node.phase === "PRE" ? " (PRE)" : "";
  const duration = typeof node.durationMs === "number" ? ` (${Math.round(node.durationMs)} ms)` : "";
  const time = node.at ? node.at + duration : undefined;
  const error = node.error ? node.error.split("\n", 1)[0] : undefined;
  return [`${node.kind} ${node.id}`, subject + phase, node.status, time, error].filter(Boolean).join("  ");
}
