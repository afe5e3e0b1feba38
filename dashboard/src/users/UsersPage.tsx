// Users: every account, newest first, found by email prefix and role, paged; a new user created
// from a form, a role changed in place, a user deleted after a confirmation. The API's refusals
// (a taken email, a short password, a PRE_USER_* handler's "no") are shown with its message.
// The search lives in the URL (?email=&role=&offset=).
import { useEffect, useState } from "preact/hooks";
import { type Role, ROLES, type User } from "../../../src/sdk/index.js";
import "../emails/emails.css";
import { pathWithQuery } from "../router/pathWithQuery.js";
import type { Location } from "../router/router.js";
import { navigate } from "../router/router.js";
import type { Session } from "../session/session.js";
import { ConfirmDialog } from "../ui/ConfirmDialog.js";
import { formatTime } from "../ui/formatTime.js";
import { EmptyState, ErrorMessage, Loading, Notice } from "../ui/states.js";
import { Pager } from "../ui/Pager.js";
import { useLoad } from "../ui/useLoad.js";
import { CreateUserForm } from "./CreateUserForm.js";
import { userFilter } from "./userFilter.js";

const PAGE_SIZE = 25;

function roleOf(value: string | null): Role | undefined {
  return ROLES.find((r) => r === value);
}

export function UsersPage({ session, location }: { session: Session; location: Location }) {
  const email = location.query.get("email") ?? "";
  const role = roleOf(location.query.get("role"));
  const offset = Math.max(0, Number(location.query.get("offset")) || 0);
  const users = useLoad(
    () =>
      session.client.admin.users.list({
        filter: userFilter(email, role),
        sort: "-createdAt",
        limit: PAGE_SIZE,
        offset,
      }),
    [session, email, role, offset],
  );
  const [search, setSearch] = useState(email);
  useEffect(() => setSearch(email), [email]);
  const [actionError, setActionError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<User | null>(null);
  /** Signed in as this admin user and about to stop being one: asked first. */
  const [demotingSelf, setDemotingSelf] = useState<User | null>(null);

  const searchPath = (changes: { email?: string; role?: Role | undefined; offset?: number }) =>
    pathWithQuery("/users", {
      email: (changes.email ?? email).trim(),
      role: "role" in changes ? changes.role : role,
      offset: changes.offset ?? offset,
    });

  const me = session.identity.kind === "user" ? session.identity.email : null;
  const filtered = email !== "" || role !== undefined;

  async function act(action: () => Promise<string>) {
    setActionError(null);
    setNotice(null);
    try {
      setNotice(await action());
    } catch (error) {
      setActionError(error);
    }
    await users.reload();
  }

  const changeRole = (user: User, next: Role) =>
    act(async () => {
      await session.client.admin.users.update(user.id, { role: next });
      return `${user.email} is now ${next === "admin" ? "an admin" : "a user"}.`;
    });

  const remove = (user: User) =>
    act(async () => {
      await session.client.admin.users.delete(user.id);
      return `Deleted ${user.email}.`;
    });

  return (
    <section>
      <div class="page-head">
        <h1>Users</h1>
      </div>
      <CreateUserForm
        session={session}
        onCreated={(user) => void act(async () => `Created ${user.email}.`)}
      />
      <form
        class="card inline-form"
        aria-label="Find users"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(searchPath({ email: search, offset: 0 }));
        }}
      >
        <div class="field">
          <label for="users-email">Email starts with</label>
          <input
            id="users-email"
            name="email"
            type="search"
            placeholder="ada@"
            value={search}
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="users-role">Role</label>
          <select
            id="users-role"
            name="role"
            value={role ?? ""}
            onChange={(e) => navigate(searchPath({ role: roleOf(e.currentTarget.value), offset: 0 }))}
          >
            <option value="">Any</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button">
          Search
        </button>
        {filtered && (
          <button type="button" class="button button-quiet" onClick={() => navigate("/users")}>
            Clear
          </button>
        )}
      </form>
      {users.state === "error" && <ErrorMessage error={users.error} onRetry={users.reload} />}
      {actionError !== null && <ErrorMessage error={actionError} />}
      {notice !== null && <Notice>{notice}</Notice>}
      {users.data === undefined ? (
        users.state === "loading" && <Loading label="Loading users…" />
      ) : users.data.items.length === 0 ? (
        <EmptyState title={filtered ? "No user matches" : "No users yet"} />
      ) : (
        <>
          <div class="table-wrap">
            <table class="table">
              <caption class="visually-hidden">Users</caption>
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Created</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {users.data.items.map((user) => (
                  <tr key={user.id} data-user={user.email}>
                    <th scope="row" class="nowrap">
                      {user.email}
                      {user.email === me && <span class="tag">you</span>}
                    </th>
                    <td>{user.full_name ?? <span class="muted">—</span>}</td>
                    <td>
                      <select
                        aria-label={`Role of ${user.email}`}
                        value={user.role}
                        onChange={(e) => {
                          const next = roleOf(e.currentTarget.value);
                          if (!next || next === user.role) return;
                          if (user.email === me && next !== "admin") setDemotingSelf(user);
                          else void changeRole(user, next);
                        }}
                      >
                        {ROLES.map((r) => (
                          <option key={r} value={r}>
                            {r}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td title={user.createdAt}>{formatTime(user.createdAt)}</td>
                    <td class="row-actions">
                      <button
                        type="button"
                        class="button button-quiet button-danger"
                        aria-label={`Delete ${user.email}`}
                        onClick={() => setConfirming(user)}
                      >
                        Delete
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            label="Users pages"
            total={users.data.total}
            limit={users.data.limit}
            offset={users.data.offset}
            shown={users.data.items.length}
            onOffset={(next) => navigate(searchPath({ offset: next }))}
          />
        </>
      )}
      {demotingSelf && (
        <ConfirmDialog
          title="Stop being an admin?"
          confirmLabel="Make me a user"
          onCancel={() => setDemotingSelf(null)}
          onConfirm={() => {
            const user = demotingSelf;
            setDemotingSelf(null);
            void changeRole(user, "user");
          }}
        >
          <p>You are signed in as {demotingSelf.email}: the dashboard refuses you from your next step on.</p>
        </ConfirmDialog>
      )}
      {confirming && (
        <ConfirmDialog
          title={`Delete ${confirming.email}?`}
          confirmLabel="Delete user"
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            const user = confirming;
            setConfirming(null);
            void remove(user);
          }}
        >
          <p>
            Their sessions and password reset links end with them. Records they own stay.
            {confirming.email === me && " This is you: you will be signed out of the API."}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
