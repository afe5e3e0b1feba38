// `backend functions invoke <name> [-d <json>]`: runs a function as the admin and prints its result
// (JSON pretty-printed, text as it is). A failed run prints the error and exits with 1.
import { Command } from "commander";
import { type ApiTarget, CliError, send, targetFrom, withTarget } from "../apiClient.js";

interface InvokeFlags {
  data?: string;
  event?: string;
  url?: string;
  adminKey?: string;
}

export function invokeCommand(): Command {
  return withTarget(
    new Command("invoke")
      .description("run a function and print its result")
      .argument("<name>", "the function's name, e.g. hello or email/send")
      .option("-d, --data <json>", "the payload, as JSON (default {})")
      .option("--event <type>", "run it as a handler of this event type, with the payload as the event data"),
  ).action(async (name: string, flags: InvokeFlags) => {
    const payload = parseData(flags.data);
    const output = await invoke(targetFrom(flags), name, payload, flags.event);
    process.stdout.write(output.endsWith("\n") ? output : `${output}\n`);
  });
}

function parseData(data: string | undefined): unknown {
  if (data === undefined) return {};
  try {
    return JSON.parse(data);
  } catch (error) {
    throw new CliError(`--data is not valid JSON (${(error as Error).message}); e.g. -d '{"name":"Ada"}'`);
  }
}

async function invoke(target: ApiTarget, name: string, payload: unknown, event?: string): Promise<string> {
  const path = `/api/functions/${name.split("/").map(encodeURIComponent).join("/")}/invoke`;
  const query = event === undefined ? "" : `?event=${encodeURIComponent(event)}`;
  const response = await send(target, { method: "POST", path: path + query, body: payload });
  const text = await response.text();
  const json = parse(text);
  if (!response.ok) {
    const error = (json as { error?: unknown } | undefined)?.error;
    const message =
      typeof error === "object" &&
      error !== null &&
      typeof (error as { message?: unknown }).message === "string"
        ? (error as { message: string }).message
        : typeof error === "string"
          ? error
          : text || `status ${response.status}`;
    // The server's own 401 (not one a function answered) means the admin key is missing or wrong.
    const serverAuth = (error as { code?: unknown } | undefined)?.code === "unauthorized";
    const hint = serverAuth ? ". Set BACKEND_ADMIN_KEY or pass --admin-key." : "";
    throw new CliError(`${name} failed (${response.status}): ${message}${hint}`);
  }
  return json === undefined ? text : JSON.stringify(json, null, 2);
}

function parse(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
