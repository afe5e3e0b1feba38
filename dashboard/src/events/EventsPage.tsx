// Every event type with its description and subscriber count; a type expands to its subscriptions,
// where functions are subscribed, reordered (priority), paused (active) and unsubscribed. A test
// event of a custom type can be published from here.
import { useState } from "preact/hooks";
import type { EventType } from "../../../src/sdk/index.js";
import type { Session } from "../session/session.js";
import { EmptyState, ErrorMessage, Loading } from "../ui/states.js";
import { useLoad } from "../ui/useLoad.js";
import { PublishEventForm } from "./PublishEventForm.js";
import { SubscriptionsPanel } from "./SubscriptionsPanel.js";
import "./events.css";

export function EventsPage({ session }: { session: Session }) {
  const types = useLoad(() => session.client.admin.events.types(), [session]);
  const [open, setOpen] = useState<string | null>(null);

  return (
    <section>
      <div class="page-head">
        <h1>Events</h1>
      </div>
      <p class="muted">
        PRE handlers run before an action and may block or change it; POST handlers run after it. Lower
        priorities run first.
      </p>
      <PublishEventForm
        session={session}
        customTypes={(types.data ?? []).filter((t) => t.phase === "custom").map((t) => t.type)}
      />
      {types.state === "error" && <ErrorMessage error={types.error} onRetry={types.reload} />}
      {types.data === undefined ? (
        types.state === "loading" && <Loading label="Loading event types…" />
      ) : types.data.length === 0 ? (
        <EmptyState title="No event types" />
      ) : (
        <ul class="event-types">
          {types.data.map((type) => (
            <EventTypeRow
              key={type.type}
              session={session}
              type={type}
              open={open === type.type}
              onToggle={() => setOpen(open === type.type ? null : type.type)}
              onChanged={types.reload}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

interface RowProps {
  session: Session;
  type: EventType;
  open: boolean;
  onToggle: () => void;
  onChanged: () => void;
}

function EventTypeRow({ session, type, open, onToggle, onChanged }: RowProps) {
  const panelId = `subscriptions-${type.type}`;
  const inactive = type.subscribers - type.activeSubscribers;
  return (
    <li class="event-type card" data-event-type={type.type}>
      <button
        type="button"
        class="event-type-head"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={onToggle}
      >
        <span class="event-type-name">{type.type}</span>
        <span class={`tag tag-${type.phase.toLowerCase()}`}>{type.phase}</span>
        <span class="event-type-description">{type.description}</span>
        <span class="subscriber-count" data-testid="subscriber-count">
          {type.subscribers} {type.subscribers === 1 ? "subscriber" : "subscribers"}
          {inactive > 0 && ` (${inactive} paused)`}
        </span>
      </button>
      {open && (
        <div id={panelId} class="event-type-body">
          {type.aliases.length > 0 && <p class="muted">Also called: {type.aliases.join(", ")}</p>}
          <PayloadFields payload={type.payload} />
          <SubscriptionsPanel session={session} eventType={type.type} onChanged={onChanged} />
        </div>
      )}
    </li>
  );
}

function PayloadFields({ payload }: { payload: Record<string, string> }) {
  const fields = Object.entries(payload);
  if (fields.length === 0) return null;
  return (
    <details class="payload">
      <summary>Payload fields</summary>
      <dl class="facts">
        {fields.map(([field, meaning]) => (
          <div key={field}>
            <dt class="mono">{field}</dt>
            <dd>{meaning}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
