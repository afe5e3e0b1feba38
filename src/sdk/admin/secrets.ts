// client.admin.secrets: the secrets functions read as env.NAME — their names and dates only, the
// API never answers a value — set and deleted (GET /api/secrets, PUT/DELETE /api/secrets/:name).
import type { Transport } from "../http.js";

export interface SecretItem {
  name: string;
  createdAt: string;
  updatedAt: string;
}

export interface SetSecretResult extends SecretItem {
  /** false: an existing secret's value was replaced. */
  created: boolean;
}

export interface AdminSecretsApi {
  /** Names and dates, never values. */
  list(): Promise<SecretItem[]>;
  /** Sets a secret, replacing the value of an existing one. */
  set(name: string, value: string): Promise<SetSecretResult>;
  delete(name: string): Promise<void>;
}

export function adminSecretsApi(http: Transport): AdminSecretsApi {
  const path = (name: string) => `/api/secrets/${encodeURIComponent(name)}`;
  return {
    list: async () => (await http.request<{ items: SecretItem[] }>("GET", "/api/secrets")).items,
    set: (name, value) => http.request("PUT", path(name), { body: { value } }),
    delete: (name) => http.request("DELETE", path(name)),
  };
}
