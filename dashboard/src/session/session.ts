// Who is signed in to the dashboard: a token (the admin key or an admin user's token), kept in
// sessionStorage so a reload keeps the session and closing the tab ends it. A Session is immutable:
// signing in again makes a new one.
import { type BackendClient, BackendError, createClient } from "../../../src/sdk/index.js";
import type { FetchLike } from "../../../src/sdk/http.js";

const STORAGE_KEY = "backend.dashboard.session";

export type Identity = { kind: "admin-key" } | { kind: "user"; email: string };

export interface Session {
  identity: Identity;
  /** The SDK, signed in: the dashboard's every call goes through it (`client.admin` for admins). */
  client: BackendClient;
}

interface Stored {
  token: string;
  identity: Identity;
}

type ExpiryListener = () => void;
let onExpired: ExpiryListener | undefined;

/**
 * Tells the app when the API refuses the signed-in session's token (a revoked or expired user token,
 * a changed admin key): it then forgets the session and asks for a new sign-in.
 */
export function onSessionExpired(listener: ExpiryListener): () => void {
  onExpired = listener;
  return () => {
    if (onExpired === listener) onExpired = undefined;
  };
}

/** fetch, telling the expiry listener about a 401 answer to a signed-in session's call. */
const watchedFetch: FetchLike = async (url, init) => {
  const response = await globalThis.fetch(url, init);
  if (response.status === 401) onExpired?.();
  return response;
};

/**
 * A session. `watched`: 401 answers end it (not while signing in, where a 401 is a wrong key the
 * login page shows).
 */
function sessionOf(token: string, identity: Identity, watched = true): Session {
  const fetch = watched ? watchedFetch : undefined;
  const client = createClient({ url: location.origin, token, ...(fetch ? { fetch } : {}) });
  return { identity, client };
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
  const token = adminKey.trim();
  const identity: Identity = { kind: "admin-key" };
  await sessionOf(token, identity, false).client.admin.functions.list();
  store(token, identity);
  return sessionOf(token, identity);
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
  const identity: Identity = { kind: "user", email: me.email };
  store(token, identity);
  return sessionOf(token, identity);
}

/** Forgets the session kept in this tab, without calling the server (its token is refused already). */
export function forgetSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** Forgets the session; a user's token is also revoked on the server (the admin key cannot be). */
export async function signOut(session: Session): Promise<void> {
  sessionStorage.removeItem(STORAGE_KEY);
  if (session.identity.kind === "user") await session.client.auth.logout().catch(() => {});
}
