// The function routes of a running server, as the project commands use them (admin key required).
// A refusal comes back as a ServerError carrying the server's own message, which says what to do.
import { type ApiTarget, CliError, send } from "../cli/apiClient.js";
import type { FunctionDetail } from "../functions/catalog/getFunction.js";
import type { FunctionItem } from "../functions/catalog/functionItem.js";
import type { VersionItem } from "../functions/catalog/listVersions.js";
import type { RollbackResult } from "../functions/catalog/rollbackFunction.js";
import type { DeployInput, DeployResult } from "../functions/deploy/deployFunction.js";

export type { DeployResult, FunctionDetail, FunctionItem, RollbackResult, VersionItem };

export class ServerError extends CliError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** A nested name travels as one path part (email%2Fsend), which every function route accepts. */
export function functionPath(name: string, suffix = ""): string {
  return `/api/functions/${encodeURIComponent(name)}${suffix}`;
}

export async function listServerFunctions(target: ApiTarget): Promise<FunctionItem[]> {
  return (await request<{ items: FunctionItem[] }>(target, "GET", "/api/functions")).items;
}

export function getServerFunction(
  target: ApiTarget,
  name: string,
  version?: number,
): Promise<FunctionDetail> {
  const query = version === undefined ? "" : `?version=${version}`;
  return request<FunctionDetail>(target, "GET", functionPath(name) + query);
}

export function putFunction(target: ApiTarget, name: string, body: DeployInput): Promise<DeployResult> {
  return request<DeployResult>(target, "PUT", functionPath(name), body);
}

export async function deleteServerFunction(target: ApiTarget, name: string): Promise<void> {
  await request(target, "DELETE", functionPath(name));
}

export function listServerVersions(
  target: ApiTarget,
  name: string,
): Promise<{ name: string; activeVersion: number; items: VersionItem[] }> {
  return request(target, "GET", functionPath(name, "/versions"));
}

export function rollbackServerFunction(
  target: ApiTarget,
  name: string,
  version?: number,
): Promise<RollbackResult> {
  return request(target, "POST", functionPath(name, "/rollback"), version === undefined ? {} : { version });
}

async function request<T = unknown>(
  target: ApiTarget,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await send(target, { method, path, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (response.ok) return json as T;
  const message =
    (json as { error?: { message?: string } } | undefined)?.error?.message ?? (text || response.statusText);
  throw new ServerError(message + hint(response.status, target), response.status);
}

function hint(status: number, target: ApiTarget): string {
  if (status === 401) return `. Set BACKEND_ADMIN_KEY or pass --admin-key (server: ${target.url}).`;
  if (status === 403) return ". This needs the admin key (BACKEND_ADMIN_KEY or --admin-key).";
  if (status === 413)
    return ". Raise server.bodyLimit in the server's backend.config.jsonc, or make the function smaller.";
  return "";
}
