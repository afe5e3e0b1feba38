// Sign in with the admin key, or as an admin user with email and password. A refusal shows the
// API's own message (a wrong key: "Invalid or expired token: log in again").
import { Notice } from "../ui/states.js";
import { useState } from "preact/hooks";
import { messageOf } from "../ui/messageOf.js";
import { type Session, signInWithAdminKey, signInWithPassword } from "./session.js";

type Method = "admin-key" | "password";

export interface LoginPageProps {
  onSignedIn: (session: Session) => void;
  /** Why the user is here again (a session that ended), shown above the form. */
  notice?: string | undefined;
}

export function LoginPage({ onSignedIn, notice }: LoginPageProps) {
  const [method, setMethod] = useState<Method>("admin-key");
  const [adminKey, setAdminKey] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(
        method === "admin-key"
          ? await signInWithAdminKey(adminKey)
          : await signInWithPassword(email, password),
      );
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  }

  return (
    <main class="login">
      <form class="card login-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Sign in to backend</h1>
        {notice && !error && <Notice>{notice}</Notice>}
        <fieldset class="segmented">
          <legend class="visually-hidden">Sign in with</legend>
          <label>
            <input
              type="radio"
              name="method"
              checked={method === "admin-key"}
              onChange={() => setMethod("admin-key")}
            />
            With the admin key
          </label>
          <label>
            <input
              type="radio"
              name="method"
              checked={method === "password"}
              onChange={() => setMethod("password")}
            />
            With email and password
          </label>
        </fieldset>
        {method === "admin-key" ? (
          <label class="field">
            <span>Admin key</span>
            <input
              type="password"
              name="adminKey"
              autocomplete="off"
              required
              value={adminKey}
              onInput={(e) => setAdminKey(e.currentTarget.value)}
            />
          </label>
        ) : (
          <>
            <label class="field">
              <span>Email</span>
              <input
                type="email"
                name="email"
                autocomplete="username"
                required
                value={email}
                onInput={(e) => setEmail(e.currentTarget.value)}
              />
            </label>
            <label class="field">
              <span>Password</span>
              <input
                type="password"
                name="password"
                autocomplete="current-password"
                required
                value={password}
                onInput={(e) => setPassword(e.currentTarget.value)}
              />
            </label>
          </>
        )}
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
