// Subscribes a deployed function to an event type, with a priority (lower runs first).
import { useState } from "preact/hooks";
import type { Session } from "../session/session.js";
import { ErrorMessage } from "../ui/states.js";
import { useLoad } from "../ui/useLoad.js";

interface Props {
  session: Session;
  eventType: string;
  /** Functions already subscribed, left out of the choice. */
  subscribed: string[];
  onSubscribed: () => void;
}

export function SubscribeForm({ session, eventType, subscribed, onSubscribed }: Props) {
  const functions = useLoad(() => session.client.admin.functions.list(), [session]);
  const [fn, setFn] = useState("");
  const [priority, setPriority] = useState("0");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const choices = (functions.data ?? []).map((f) => f.name).filter((name) => !subscribed.includes(name));
  const chosen = choices.includes(fn) ? fn : (choices[0] ?? "");
  const idBase = `subscribe-${eventType}`;

  async function submit(event: Event) {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await session.client.admin.subscriptions.create({
        event: eventType,
        function: chosen,
        priority: Number(priority),
      });
      setPriority("0");
      onSubscribed();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  if (functions.state === "error") return <ErrorMessage error={functions.error} onRetry={functions.reload} />;
  if (functions.data && choices.length === 0) {
    return <p class="muted">Every deployed function is subscribed to {eventType}.</p>;
  }
  return (
    <form
      class="inline-form subscribe-form"
      onSubmit={submit}
      aria-label={`Subscribe a function to ${eventType}`}
    >
      {/* Labels by id: a wrapping label would add the chosen option's text to the select's name. */}
      <div class="field">
        <label for={`${idBase}-function`}>Function</label>
        <select
          id={`${idBase}-function`}
          name="function"
          value={chosen}
          onChange={(e) => setFn(e.currentTarget.value)}
          required
        >
          {choices.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <div class="field field-narrow">
        <label for={`${idBase}-priority`}>Priority</label>
        <input
          id={`${idBase}-priority`}
          type="number"
          name="priority"
          step={1}
          required
          value={priority}
          onInput={(e) => setPriority(e.currentTarget.value)}
        />
      </div>
      <button type="submit" class="button button-primary" disabled={busy || chosen === ""}>
        {busy ? "Subscribing…" : "Subscribe"}
      </button>
      {error !== null && <ErrorMessage error={error} />}
    </form>
  );
}
