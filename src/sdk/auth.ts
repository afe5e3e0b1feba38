// client.auth: sign up, sign in and out, the signed-in user, password resets.
// register and login keep the returned token in the client, so later calls are made as that user.
// They and the password reset calls go without the current token: a stale one (expired, revoked by
// a reset) would otherwise make the server refuse the very call that replaces it.
import { BackendError } from "./errors.js";
import type { Transport } from "./http.js";
import type { LoginInput, RegisterInput, Session, UpdateMeInput, User } from "./types.js";

export interface AuthApi {
  /** Creates an account and signs in as it. Duplicate email -> BackendError 409. */
  register<U extends User = User>(input: RegisterInput): Promise<Session<U>>;
  /** Signs in. Wrong email or password -> BackendError 401; too many tries -> 429. */
  login<U extends User = User>(input: LoginInput): Promise<Session<U>>;
  /** Revokes the current token on the server and forgets it here (even if the server call fails). */
  logout(): Promise<void>;
  /** The signed-in user. No or revoked token -> BackendError 401. */
  me<U extends User = User>(): Promise<U>;
  /** Changes the signed-in user's name or password. */
  updateMe<U extends User = User>(changes: UpdateMeInput): Promise<U>;
  /** Emails a reset link if the address has an account; answers the same either way. */
  requestPasswordReset(email: string): Promise<void>;
  /** Sets a new password with the token from the reset email; signs out every session. */
  confirmPasswordReset(token: string, password: string): Promise<void>;
}

export function authApi(http: Transport): AuthApi {
  async function signIn<U extends User>(path: string, body: unknown): Promise<Session<U>> {
    const session = await http.request<Session<U>>("POST", path, { body, anonymous: true });
    http.setToken(session.token);
    return session;
  }

  return {
    register: (input) => signIn("/api/auth/register", input),
    login: (input) => signIn("/api/auth/login", input),
    async logout() {
      if (http.token === null) return;
      try {
        await http.request<void>("POST", "/api/auth/logout");
      } catch (error) {
        // A token the server already rejects is as good as logged out.
        if (!(error instanceof BackendError && error.status === 401)) throw error;
      } finally {
        http.setToken(null);
      }
    },
    me: () => http.request("GET", "/api/auth/me"),
    updateMe: (changes) => http.request("PATCH", "/api/auth/me", { body: changes }),
    async requestPasswordReset(email) {
      await http.request("POST", "/api/auth/password-reset", { body: { email }, anonymous: true });
    },
    async confirmPasswordReset(token, password) {
      await http.request("POST", "/api/auth/password-reset/confirm", {
        body: { token, password },
        anonymous: true,
      });
    },
  };
}
