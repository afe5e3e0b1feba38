// Secrets: the names of the secrets functions read as env.NAME, and when each was set; set a new
// one, replace one's value, delete one after a confirmation. Values go to the API and are never
// shown again: the API has no way to read one back.
import { useState } from "preact/hooks";
import type { Location } from "../router/router.js";
import type { Session } from "../session/session.js";
import { ConfirmDialog } from "../ui/ConfirmDialog.js";
import { formatTime } from "../ui/formatTime.js";
import { EmptyState, ErrorMessage, Loading, Notice } from "../ui/states.js";
import { useLoad } from "../ui/useLoad.js";
import "../emails/emails.css";
import { SetSecretForm } from "./SetSecretForm.js";

export function SecretsPage({ session }: { session: Session; location: Location }) {
  const secrets = useLoad(() => session.client.admin.secrets.list(), [session]);
  const [actionError, setActionError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  /** The name put into the form by a row's Replace button (a new object each click refocuses). */
  const [replacing, setReplacing] = useState<{ name: string } | null>(null);

  async function remove(name: string) {
    setActionError(null);
    setNotice(null);
    try {
      await session.client.admin.secrets.delete(name);
      setNotice(`Deleted ${name}.`);
    } catch (error) {
      setActionError(error);
    }
    await secrets.reload();
  }

  return (
    <section>
      <div class="page-head">
        <h1>Secrets</h1>
      </div>
      <p class="muted">
        Functions read a secret as <code>env.NAME</code>. Values are encrypted at rest and never shown: to
        change one, set it again.
      </p>
      <SetSecretForm
        session={session}
        existing={secrets.data?.map((s) => s.name) ?? []}
        replacing={replacing}
        onSaved={(message) => {
          setActionError(null);
          setNotice(message);
          void secrets.reload();
        }}
      />
      {secrets.state === "error" && <ErrorMessage error={secrets.error} onRetry={secrets.reload} />}
      {actionError !== null && <ErrorMessage error={actionError} />}
      {notice !== null && <Notice>{notice}</Notice>}
      {secrets.data === undefined ? (
        secrets.state === "loading" && <Loading label="Loading secrets…" />
      ) : secrets.data.length === 0 ? (
        <EmptyState title="No secrets yet">
          <p>Set one above, e.g. STRIPE_API_KEY, and functions read it as env.STRIPE_API_KEY.</p>
        </EmptyState>
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">Secrets</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Set</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {secrets.data.map((s) => (
                <tr key={s.name} data-secret={s.name}>
                  <th scope="row" class="mono">
                    {s.name}
                  </th>
                  <td title={s.updatedAt}>{formatTime(s.updatedAt)}</td>
                  <td title={s.createdAt}>{formatTime(s.createdAt)}</td>
                  <td class="row-actions">
                    <button
                      type="button"
                      class="button button-quiet"
                      aria-label={`Replace ${s.name}`}
                      onClick={() => setReplacing({ name: s.name })}
                    >
                      Replace
                    </button>
                    <button
                      type="button"
                      class="button button-quiet button-danger"
                      aria-label={`Delete ${s.name}`}
                      onClick={() => setConfirming(s.name)}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {confirming !== null && (
        <ConfirmDialog
          title={`Delete ${confirming}?`}
          confirmLabel="Delete"
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            const name = confirming;
            setConfirming(null);
            void remove(name);
          }}
        >
          <p>
            Functions that read env.{confirming} get nothing from their next run on. This cannot be undone:
            the value is gone.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
