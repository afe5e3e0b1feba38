// How CLI commands talk to a running server: BACKEND_URL and BACKEND_ADMIN_KEY (or --url and
// --admin-key), JSON in and out, server errors turned into messages that say what to do next.
import type { Command } from "commander";

export interface ApiTarget {
  url: string;
  adminKey?: string;
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Adds --url and --admin-key to a command. */
export function withTarget(command: Command): Command {
  return command
    .option("--url <url>", "server URL (default: $BACKEND_URL or http://127.0.0.1:8787)")
    .option("--admin-key <key>", "admin key (default: $BACKEND_ADMIN_KEY)");
}

export function targetFrom(options: { url?: string; adminKey?: string }, env = process.env): ApiTarget {
  const url = (options.url ?? env.BACKEND_URL ?? "http://127.0.0.1:8787").replace(/\/+$/, "");
  const adminKey = options.adminKey ?? env.BACKEND_ADMIN_KEY;
  return adminKey ? { url, adminKey } : { url };
}

export interface ApiCall {
  method: string;
  path: string;
  body?: unknown;
  /** Sent as is (no JSON encoding). */
  rawBody?: string | Uint8Array;
  headers?: Record<string, string>;
}

/** Calls the API and returns the parsed JSON (or text); throws CliError with the server's message. */
export async function callApi<T = unknown>(target: ApiTarget, call: ApiCall): Promise<T> {
  return readAnswer<T>(call, await send(target, call));
}

/** The parsed JSON (or text) of an answer to `call`; throws CliError with the server's message. */
export async function readAnswer<T = unknown>(call: ApiCall, response: Response): Promise<T> {
  const text = await response.text();
  const json = parseJson(text);
  if (!response.ok) {
    const message = (json as { error?: { message?: string } } | undefined)?.error?.message ?? text;
    throw new CliError(
      `${call.method} ${call.path} failed (${response.status}): ${message}${hint(response.status)}`,
    );
  }
  return (json ?? text) as T;
}

export async function send(target: ApiTarget, call: ApiCall): Promise<Response> {
  const headers: Record<string, string> = { ...call.headers };
  if (target.adminKey) headers.authorization = `Bearer ${target.adminKey}`;
  let body: string | Uint8Array | undefined;
  if (call.rawBody !== undefined) body = call.rawBody;
  else if (call.body !== undefined) {
    body = JSON.stringify(call.body);
    headers["content-type"] = "application/json";
  }
  try {
    return await fetch(`${target.url}${call.path}`, { method: call.method, headers, body });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new CliError(
      `Cannot reach the server at ${target.url} (${cause}). Start it with 'backend start' or set BACKEND_URL / --url.`,
    );
  }
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function hint(status: number): string {
  if (status === 401) return ". Set BACKEND_ADMIN_KEY or pass --admin-key.";
  if (status === 403) return ". This needs the admin key.";
  return "";
}
