// Creates a user with an email, a password (8 to 200 characters, checked by the API) and a role.
// The password is cleared after the user is created.
import { useState } from "preact/hooks";
import { type Role, ROLES, type User } from "../../../src/sdk/index.js";
import type { Session } from "../session/session.js";
import { ErrorMessage } from "../ui/states.js";

export function CreateUserForm({
  session,
  onCreated,
}: {
  session: Session;
  onCreated: (user: User) => void;
}) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>("user");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(event: Event) {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const user = await session.client.admin.users.create({ email: email.trim(), password, role });
      setEmail("");
      setPassword("");
      setRole("user");
      onCreated(user);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card inline-form" onSubmit={submit} aria-label="Create a user">
      <div class="field">
        <label for="new-user-email">Email</label>
        <input
          id="new-user-email"
          name="email"
          type="email"
          autocomplete="off"
          required
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for="new-user-password">Password</label>
        <input
          id="new-user-password"
          name="password"
          type="password"
          autocomplete="new-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for="new-user-role">Role</label>
        <select
          id="new-user-role"
          name="role"
          value={role}
          onChange={(e) => setRole(e.currentTarget.value === "admin" ? "admin" : "user")}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" class="button button-primary" disabled={busy}>
        {busy ? "Creating…" : "Create user"}
      </button>
      {error !== null && <ErrorMessage error={error} />}
    </form>
  );
}
