// Who is signed in to the dashboard: a token (the admin key or an admin user's token), kept in
// sessionStorage so a reload keeps the session and closing the tab ends it. A Session is immutable:
// signing in again makes a new one.
import { type BackendClient, BackendError, createClient } from "../../../src/sdk/index.js";
import type { Transport } from "../../../src/sdk/http.js";
import { adminTransport } from "../api/http.js";

const STORAGE_KEY = "backend.dashboard.session";

export type Identity = { kind: "admin-key" } | { kind: "user"; email: string };

export interface Session {
  identity: Identity;
  /** The SDK, signed in. */
  client: BackendClient;
  /** Admin endpoints the SDK lacks (dashboard/src/api). */
  http: Transport;
}

interface Stored {
  token: string;
  identity: Identity;
}

function sessionOf(token: string, identity: Identity): Session {
  const client = createClient({ url: location.origin, token });
  return { identity, client, http: adminTransport(client) };
}

function store(token: string, identity: Identity): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ token, identity } satisfies Stored));
}

/** The session kept in this tab, if any (checked by the first API call it makes). */
export function restoreSession(): Session | null {
  const raw = sessionStorage.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    const stored = JSON.parse(raw) as Stored;
    return sessionOf(stored.token, stored.identity);
  } catch {
    sessionStorage.removeItem(STORAGE_KEY);
    return null;
  }
}

/** Signs in with the admin key; an admin-only call proves it (a wrong key: the API's 401). */
export async function signInWithAdminKey(adminKey: string): Promise<Session> {
  const session = sessionOf(adminKey.trim(), { kind: "admin-key" });
  await session.http.request("GET", "/api/functions");
  store(adminKey.trim(), session.identity);
  return session;
}

/** Signs in as a user, who must be an admin; anyone else is signed out again. */
export async function signInWithPassword(email: string, password: string): Promise<Session> {
  const client = createClient({ url: location.origin });
  const { token } = await client.auth.login({ email, password });
  const me = await client.auth.me();
  if (me.role !== "admin") {
    await client.auth.logout().catch(() => {});
    throw new BackendError(403, "forbidden", `${me.email} is not an admin: the dashboard is for admins`);
  }
  const session = sessionOf(token, { kind: "user", email: me.email });
  store(token, session.identity);
  return session;
}

/** Forgets the session; a user's token is also revoked on the server (the admin key cannot be). */
export async function signOut(session: Session): Promise<void> {
  sessionStorage.removeItem(STORAGE_KEY);
  if (session.identity.kind === "user") await session.client.auth.logout().catch(() => {});
}
