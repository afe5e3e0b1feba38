// Publishes a test event: a custom type (system types are fired by the platform only, and the API
// refuses them) with JSON data, through the SDK's publish, as an app would. The answer says how
// many subscriptions will receive it and links to those deliveries.
import { useState } from "preact/hooks";
import type { PublishedEvent } from "../../../src/sdk/index.js";
import { listPath } from "../deliveries/deliveryQuery.js";
import { parseJsonObject } from "../ui/jsonInput.js";
import { Link } from "../router/router.js";
import type { Session } from "../session/session.js";
import { ErrorMessage } from "../ui/states.js";

interface Props {
  session: Session;
  /** Custom types that have subscribers, suggested as names. */
  customTypes: string[];
}

export function PublishEventForm({ session, customTypes }: Props) {
  const [type, setType] = useState(customTypes[0] ?? "");
  const [data, setData] = useState("{}");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [published, setPublished] = useState<PublishedEvent | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    setError(null);
    setPublished(null);
    const checked = data.trim() === "" ? { data: {} } : parseJsonObject(data, "The data");
    if ("problem" in checked) {
      setProblem(checked.problem);
      return;
    }
    setProblem(null);
    setBusy(true);
    try {
      setPublished(await session.client.events.publish(type.trim(), checked.data));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <details class="card publish-event">
      <summary>Publish a test event</summary>
      <form class="publish-event-form" aria-label="Publish a test event" onSubmit={submit}>
        <p class="muted">
          A custom event, delivered to every active subscription of its type like one your app publishes.
          System types fire only from the platform's own actions.
        </p>
        <div class="field">
          <label for="publish-type">Event name</label>
          <input
            id="publish-type"
            name="type"
            list="publish-custom-types"
            required
            maxLength={100}
            pattern="[A-Za-z][A-Za-z0-9_.:\-]*"
            title="Starts with a letter; letters, digits and _ . : -"
            placeholder="order_placed"
            autocomplete="off"
            value={type}
            onInput={(e) => setType(e.currentTarget.value)}
          />
          <datalist id="publish-custom-types">
            {customTypes.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        </div>
        <div class="field">
          <label for="publish-data">Data (JSON)</label>
          <textarea
            id="publish-data"
            name="data"
            class="mono"
            rows={5}
            spellcheck={false}
            value={data}
            aria-invalid={problem !== null}
            aria-describedby={problem !== null ? "publish-problem" : undefined}
            onInput={(e) => {
              setData(e.currentTarget.value);
              setProblem(null);
            }}
          />
        </div>
        {problem !== null && (
          <p id="publish-problem" class="form-error" role="alert">
            {problem}
          </p>
        )}
        {error !== null && <ErrorMessage error={error} />}
        <div class="actions">
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? "Publishing…" : "Publish"}
          </button>
        </div>
        {published && (
          <p class="notice" role="status" data-testid="published">
            Published {published.type} as event <code>{published.id}</code>:{" "}
            {published.deliveries === 1 ? "1 delivery" : `${published.deliveries} deliveries`}.{" "}
            {published.deliveries > 0 ? (
              <Link to={listPath({ eventId: published.id })}>See its deliveries</Link>
            ) : (
              "No function is subscribed to it: subscribe one below, then publish again."
            )}
          </p>
        )}
      </form>
    </details>
  );
}
