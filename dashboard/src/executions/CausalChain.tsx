// The causal chain around a run (GET /api/traces/:id) as nested ordered lists, in the order things
// happened: request -> PRE handlers -> the write -> its POST event -> delivery -> function -> the
// events that run caused. The trace hangs a write's PRE runs under its event (they share its id);
// here they come first, then the write itself (read from the event's payload), then the event.
import type { StoredEvent, TraceNode } from "../../../src/sdk/index.js";

/** The part of a stored event the chain reads. */
type ChainEvent = Pick<StoredEvent, "type" | "data">;
import { Link } from "../router/router.js";
import { formatDuration, formatInstant } from "../ui/formatTime.js";
import { RunStatus } from "./runStatus.js";

interface Props {
  root: TraceNode;
  /** The run the page shows: marked, not linked. */
  current: string;
  /** Stored events by id, for what a write wrote. */
  events: Map<string, ChainEvent>;
}

export function CausalChain({ root, current, events }: Props) {
  return (
    <ol class="chain" aria-label="Causal chain">
      <Step node={root} current={current} events={events} />
    </ol>
  );
}

function Step({ node, current, events }: { node: TraceNode } & Omit<Props, "root">) {
  if (node.kind === "event") {
    const pre = node.children.filter((child) => child.kind === "execution" && child.phase === "PRE");
    const after = node.children.filter((child) => !pre.includes(child));
    const write = writeOf(events.get(node.id));
    return (
      <>
        {pre.map((child) => (
          <Step key={child.id} node={child} current={current} events={events} />
        ))}
        {write && (
          <li class="chain-step" data-kind="write">
            <span class="chain-kind">write</span> {write}
          </li>
        )}
        <li class="chain-step" data-kind="event">
          <span class="chain-kind">event</span> <code>{node.type}</code>{" "}
          <span class="muted mono" title={node.id}>
            {short(node.id)}
          </span>{" "}
          <time class="muted" dateTime={node.at}>
            {formatInstant(node.at)}
          </time>
          <Children nodes={after} current={current} events={events} />
        </li>
      </>
    );
  }
  return (
    <li class="chain-step" data-kind={node.kind} aria-current={node.id === current ? "step" : undefined}>
      <Label node={node} current={current} />
      <Children nodes={node.children} current={current} events={events} />
    </li>
  );
}

function Children({ nodes, current, events }: { nodes: TraceNode[] } & Omit<Props, "root">) {
  if (nodes.length === 0) return null;
  return (
    <ol class="chain">
      {nodes.map((child) => (
        <Step key={child.id} node={child} current={current} events={events} />
      ))}
    </ol>
  );
}

function Label({ node, current }: { node: TraceNode; current: string }) {
  switch (node.kind) {
    case "request":
      return (
        <>
          <span class="chain-kind">request</span>{" "}
          <span class="mono" title={node.id}>
            {short(node.id)}
          </span>
        </>
      );
    case "tick":
      return (
        <>
          <span class="chain-kind">schedule</span> {node.schedule} → {node.function}{" "}
          <time class="muted" dateTime={node.at}>
            {formatInstant(node.at)}
          </time>
        </>
      );
    case "delivery":
      return (
        <>
          <span class="chain-kind">delivery</span> <code>{node.type}</code> → {node.function}{" "}
          <span class={`status status-${node.status}`}>{node.status}</span>
          {node.error && <span class="execution-error"> {node.error}</span>}
        </>
      );
    case "execution": {
      const what = (
        <>
          {node.function}
          {node.phase === "PRE" && " (PRE)"}
        </>
      );
      return (
        <>
          <span class="chain-kind">{node.phase === "PRE" ? "PRE handler" : "function"}</span>{" "}
          {node.id === current ? (
            <strong>{what} (this run)</strong>
          ) : (
            <Link to={`/executions/${encodeURIComponent(node.id)}`}>{what}</Link>
          )}{" "}
          {node.status && <RunStatus status={node.status} />}{" "}
          <span class="muted">{formatDuration(node.durationMs)}</span>
          {node.error && <span class="execution-error"> {node.error}</span>}
        </>
      );
    }
    default:
      return <span class="mono">{node.id}</span>;
  }
}

/** What a record or user write did, from its event's payload (undefined for other events). */
function writeOf(event: ChainEvent | undefined): string | undefined {
  if (!event || typeof event.data !== "object" || event.data === null) return undefined;
  const data = event.data as {
    collection?: unknown;
    record?: { id?: unknown };
    email?: unknown;
    user?: { email?: unknown };
  };
  const verb = /_(CREATE|UPDATE|DELETE)$/.exec(event.type)?.[1]?.toLowerCase();
  if (!verb) return undefined;
  const done = `${verb}d`;
  if (typeof data.collection === "string") {
    const id = typeof data.record?.id === "string" ? ` ${data.record.id}` : "";
    return `record${id} ${done} in ${data.collection}`;
  }
  if (event.type.includes("_USER_")) {
    const email = data.user?.email ?? data.email;
    return typeof email === "string" ? `user ${email} ${done}` : `user ${done}`;
  }
  return undefined;
}

function short(id: string): string {
  return id.length > 13 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id;
}
