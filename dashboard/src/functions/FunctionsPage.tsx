// The list of deployed functions (name, triggers, active version, last run, updated) and the
// "New function" form, which opens the editor on a draft that the first deploy creates.
import { useState } from "preact/hooks";
import { type FunctionItem, listFunctions } from "../api/functions.js";
import { functionPath } from "./functionPath.js";
import { Link, navigate } from "../router/router.js";
import type { Session } from "../session/session.js";
import { formatTime } from "../ui/formatTime.js";
import { EmptyState, ErrorMessage, Loading } from "../ui/states.js";
import { useLoad } from "../ui/useLoad.js";
import { nameProblem } from "./functionName.js";

export function FunctionsPage({ session }: { session: Session }) {
  const functions = useLoad(() => listFunctions(session.http), [session]);
  const [creating, setCreating] = useState(false);

  return (
    <section>
      <div class="page-head">
        <h1>Functions</h1>
        {!creating && (
          <button type="button" class="button button-primary" onClick={() => setCreating(true)}>
            New function
          </button>
        )}
      </div>
      {creating && <NewFunctionForm onCancel={() => setCreating(false)} />}
      {functions.state === "error" && <ErrorMessage error={functions.error} onRetry={functions.reload} />}
      {functions.data === undefined ? (
        functions.state === "loading" && <Loading label="Loading functions…" />
      ) : functions.data.length === 0 ? (
        <EmptyState title="No functions yet">
          <p>Create one here with "New function", or deploy a project with `backend functions deploy`.</p>
        </EmptyState>
      ) : (
        <FunctionTable items={functions.data} />
      )}
    </section>
  );
}

function FunctionTable({ items }: { items: FunctionItem[] }) {
  return (
    <div class="table-wrap">
      <table class="table">
        <caption class="visually-hidden">Deployed functions</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Triggers</th>
            <th scope="col">Version</th>
            <th scope="col">Last run</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {items.map((fn) => (
            <tr key={fn.name}>
              <th scope="row">
                <Link to={functionPath(fn.name)}>{fn.name}</Link>
                <span class="tag">{fn.access}</span>
              </th>
              <td>
                <Triggers item={fn} />
              </td>
              <td>v{fn.version}</td>
              <td>
                {fn.lastRun ? (
                  <span title={fn.lastRun.startedAt}>
                    <span class={`status status-${fn.lastRun.status}`}>{fn.lastRun.status}</span>{" "}
                    {formatTime(fn.lastRun.startedAt)}
                  </span>
                ) : (
                  <span class="muted">never</span>
                )}
              </td>
              <td title={fn.updatedAt}>{formatTime(fn.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Triggers({ item }: { item: FunctionItem }) {
  const { events, schedules } = item.triggers;
  const parts = [
    ...events.map((e) => e.event),
    ...schedules.map((s) => (s.name ? `${s.name}: ${s.schedule}` : s.schedule)),
  ];
  if (item.access !== "admin") parts.unshift("HTTP");
  return parts.length === 0 ? <span class="muted">calls only</span> : <>{parts.join(", ")}</>;
}

function NewFunctionForm({ onCancel }: { onCancel: () => void }) {
  const [name, setName] = useState("");
  const [problem, setProblem] = useState<string | null>(null);

  function submit(event: Event) {
    event.preventDefault();
    const found = nameProblem(name.trim());
    if (found) return setProblem(found);
    navigate(functionPath(name.trim(), { draft: true }));
  }

  return (
    <form class="card inline-form" onSubmit={submit} aria-label="New function">
      <label class="field">
        <span>Name</span>
        <input
          name="functionName"
          required
          autoFocus
          placeholder="e.g. hello or email/send"
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          aria-invalid={problem ? "true" : undefined}
          aria-describedby={problem ? "new-function-problem" : undefined}
        />
      </label>
      <div class="actions">
        <button type="submit" class="button button-primary">
          Create
        </button>
        <button type="button" class="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {problem && (
        <p id="new-function-problem" class="form-error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
