// /api/secrets (admins): the names of the secrets functions read as env.NAME, set and delete. The
// API never answers a value. Shapes from src/functions/secrets/ (listSecrets.ts, setSecret.ts).
import type { Transport } from "../../../src/sdk/http.js";

export interface SecretItem {
  name: string;
  createdAt: string;
  updatedAt: string;
}

export interface SetSecretResult extends SecretItem {
  /** false: an existing secret's value was replaced. */
  created: boolean;
}

export async function listSecrets(http: Transport): Promise<SecretItem[]> {
  return (await http.request<{ items: SecretItem[] }>("GET", "/api/secrets")).items;
}

/** Sets a secret, replacing the value of an existing one. */
export function setSecret(http: Transport, name: string, value: string): Promise<SetSecretResult> {
  return http.request("PUT", `/api/secrets/${encodeURIComponent(name)}`, { body: { value } });
}

export async function deleteSecret(http: Transport, name: string): Promise<void> {
  await http.request("DELETE", `/api/secrets/${encodeURIComponent(name)}`);
}
