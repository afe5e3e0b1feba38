// One run: its status, function and version, trigger, times, its input and its result or error (as
// far as the server keeps them: `functions.keepBytes`, cut beyond it), its log lines and the causal
// chain it belongs to. A run still going is read again until it ends.
import type { ComponentChildren } from "preact";
import {
  type Cause,
  type CutText,
  type ExecutionWithLogs,
  isCut,
  type KeptHttp,
  type KeptInput,
  type StoredEvent,
  type TraceNode,
} from "../../../src/sdk/index.js";
import { functionPath } from "../functions/functionPath.js";
import { Link } from "../router/router.js";
import type { Session } from "../session/session.js";
import { formatDuration, formatInstant } from "../ui/formatTime.js";
import { EmptyState, ErrorMessage, Loading } from "../ui/states.js";
import { useLoad } from "../ui/useLoad.js";
import { usePolling } from "../ui/usePolling.js";
import { CausalChain } from "./CausalChain.js";
import { pathOf } from "./executionQuery.js";
import { RunStatus } from "./runStatus.js";

const REFRESH_MS = 1500;
/** Events of a chain whose payload is read to say what was written. */
const MAX_EVENTS_READ = 20;

export function ExecutionDetail({ session, id }: { session: Session; id: string }) {
  const run = useLoad(() => session.client.admin.executions.get(id), [session, id]);
  const running = run.data?.status === "running";
  usePolling(run.reload, running, REFRESH_MS);

  return (
    <section>
      <p class="breadcrumbs">
        <Link to="/executions">Executions</Link> / <span class="mono">{id}</span>
      </p>
      <div class="page-head">
        <h1>Executions</h1>
      </div>
      {run.state === "error" && <ErrorMessage error={run.error} onRetry={run.reload} />}
      {run.data === undefined ? (
        run.state === "loading" && <Loading label="Loading the execution…" />
      ) : (
        <RunView session={session} run={run.data} />
      )}
    </section>
  );
}

function RunView({ session, run }: { session: Session; run: ExecutionWithLogs }) {
  const ended =
    run.durationMs === null ? null : new Date(Date.parse(run.startedAt) + run.durationMs).toISOString();
  return (
    <>
      <h2 class="run-title">
        {run.function} <RunStatus status={run.status} />
      </h2>
      <div class="detail-grid">
        <section class="card panel" aria-labelledby="run-summary">
          <h3 id="run-summary">Summary</h3>
          <dl class="facts">
            <Fact term="Status">
              <RunStatus status={run.status} />
            </Fact>
            <Fact term="Function">
              <Link to={functionPath(run.function)}>{run.function}</Link>
            </Fact>
            <Fact term="Version">{run.version}</Fact>
            <Fact term="Trigger">{run.trigger}</Fact>
            <Fact term="Caller">{run.caller ?? <span class="muted">anonymous</span>}</Fact>
            <Fact term="Started">
              <time dateTime={run.startedAt}>{formatInstant(run.startedAt)}</time>
            </Fact>
            <Fact term="Ended">
              {ended ? (
                <time dateTime={ended}>{formatInstant(ended)}</time>
              ) : (
                <span class="muted">not yet</span>
              )}
            </Fact>
            <Fact term="Duration">{formatDuration(run.durationMs)}</Fact>
            <Fact term="Caused by">
              <CauseView cause={run.cause} />
            </Fact>
            <Fact term="Execution id">
              <span class="mono">{run.id}</span>
            </Fact>
          </dl>
        </section>
        <Input session={session} run={run} />
        <Outcome run={run} />
      </div>
      <Logs run={run} />
      <Chain session={session} run={run} />
    </>
  );
}

/** A calling run links to it; a request to every run it caused. */
function CauseView({ cause }: { cause: Cause | null }) {
  if (!cause) return <span class="muted">—</span>;
  const id = <span class="mono">{cause.id}</span>;
  if (cause.kind === "execution") {
    return (
      <>
        the run <Link to={`/executions/${encodeURIComponent(cause.id)}`}>{id}</Link>
      </>
    );
  }
  if (cause.kind === "request") {
    return (
      <>
        request {id} (<Link to={pathOf({ cause: cause.id, page: 1 })}>runs it caused</Link>)
      </>
    );
  }
  return (
    <>
      {cause.kind} {id}
    </>
  );
}

function Fact({ term, children }: { term: string; children: ComponentChildren }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Input({ session, run }: { session: Session; run: ExecutionWithLogs }) {
  return (
    <section class="card panel" aria-labelledby="run-input">
      <h3 id="run-input">Input</h3>
      {run.input === null ? (
        <DeliveryInput session={session} run={run} />
      ) : isCut(run.input) ? (
        <Cut kept={run.input} testId="run-input" />
      ) : (
        <KeptInputView input={run.input} />
      )}
    </section>
  );
}

/** What the run got: the payload (what the function reads), said with what it ran for. */
function KeptInputView({ input }: { input: KeptInput }) {
  const { event, schedule, request } = input;
  return (
    <>
      {event && (
        <p class="muted">
          <code>{event.type}</code> event
          {event.attempt !== undefined && <>, delivery attempt {event.attempt}</>}
        </p>
      )}
      {schedule && (
        <p class="muted">
          Tick of <code>{schedule.name}</code> for{" "}
          <time dateTime={schedule.scheduledTime}>{formatInstant(schedule.scheduledTime)}</time>
          {schedule.manual ? " (run now)" : schedule.catchUp ? " (catching up)" : ""}
        </p>
      )}
      {request ? (
        <HttpView http={request} testId="run-input" />
      ) : "payload" in input ? (
        <pre class="output" data-testid="run-input">
          {JSON.stringify(input.payload, null, 2)}
        </pre>
      ) : (
        <p class="muted" data-testid="run-input">
          No payload.
        </p>
      )}
    </>
  );
}

/** Runs stored without their input: a POST handler's delivery still has the payload. */
function DeliveryInput({ session, run }: { session: Session; run: ExecutionWithLogs }) {
  const delivery = run.cause?.kind === "delivery" ? run.cause.id : null;
  const input = useLoad(
    async () => (delivery ? await session.client.admin.deliveries.get(delivery) : null),
    [session, delivery],
  );
  if (!delivery) {
    return (
      <p class="muted">
        Not kept: the server keeps no input (functions.keepBytes is 0), or the run is older.
      </p>
    );
  }
  if (input.state === "error") return <ErrorMessage error={input.error} onRetry={input.reload} />;
  if (!input.data) return <Loading label="Loading the input…" />;
  return (
    <>
      <p class="muted">
        Not kept with the run; the <code>{input.data.event}</code> payload of its delivery, attempt{" "}
        {input.data.attempts}:
      </p>
      <pre class="output" data-testid="run-input">
        {JSON.stringify(input.data.data, null, 2)}
      </pre>
    </>
  );
}

function HttpView({ http, testId }: { http: KeptHttp; testId: string }) {
  const { headers, bodyBytes, body } = http;
  return (
    <>
      <p class="mono">{http.status !== undefined ? `HTTP ${http.status}` : `${http.method} ${http.url}`}</p>
      <pre class="output" data-testid={testId}>
        {Object.entries(headers)
          .map(([name, value]) => `${name}: ${value}`)
          .join("\n")}
        {"\n\n"}
        {body ?? (bodyBytes > 0 ? `(${bodyBytes} bytes, not UTF-8 text)` : "")}
      </pre>
    </>
  );
}

/** An input or result over the server's keepBytes: the start of its JSON text. */
function Cut({ kept, testId }: { kept: CutText; testId: string }) {
  return (
    <>
      <p class="muted" data-testid={`${testId}-cut`}>
        {kept.truncated
          ? `Truncated: ${formatBytes(kept.bytes)} of JSON, of which the first ${formatBytes(
              new TextEncoder().encode(kept.text).length,
            )} are kept.`
          : "Kept as text:"}
      </p>
      <pre class="output" data-testid={testId}>
        {kept.text}
        {kept.truncated ? "…" : ""}
      </pre>
    </>
  );
}

function Outcome({ run }: { run: ExecutionWithLogs }) {
  if (run.status === "running") {
    return (
      <section class="card panel" aria-labelledby="run-outcome">
        <h3 id="run-outcome">Result</h3>
        <Loading label="Still running…" />
      </section>
    );
  }
  const kept = run.result && <KeptResultView result={run.result} />;
  if (run.status !== "success") {
    return (
      <section class="card panel" aria-labelledby="run-outcome">
        <h3 id="run-outcome">Error</h3>
        <pre class="output output-error" data-testid="run-error">
          {run.status}: {run.error ?? "no message"}
        </pre>
        {kept && (
          <>
            <p class="muted">Its answer:</p>
            {kept}
          </>
        )}
      </section>
    );
  }
  return (
    <section class="card panel" aria-labelledby="run-outcome">
      <h3 id="run-outcome">Result</h3>
      {kept ?? (
        <p data-testid="run-result">
          Succeeded, returning {run.resultSize ?? 0} bytes.{" "}
          <span class="muted">The result was not kept (functions.keepBytes is 0, or the run is older).</span>
        </p>
      )}
    </section>
  );
}

/** What the run answered: the value it returned, or its own Response. */
function KeptResultView({ result }: { result: NonNullable<ExecutionWithLogs["result"]> }) {
  if (isCut(result)) return <Cut kept={result} testId="run-result" />;
  if ("response" in result) return <HttpView http={result.response} testId="run-result" />;
  if (!("value" in result)) return <p data-testid="run-result">Returned nothing.</p>;
  return (
    <pre class="output" data-testid="run-result">
      {JSON.stringify(result.value, null, 2)}
    </pre>
  );
}

function Logs({ run }: { run: ExecutionWithLogs }) {
  return (
    <section class="card panel run-section" aria-labelledby="run-logs">
      <h3 id="run-logs">Logs</h3>
      {run.logs.length === 0 ? (
        <EmptyState
          title={
            run.status === "running"
              ? "No lines yet: they are stored when the run ends"
              : "This run printed nothing"
          }
        />
      ) : (
        <ol class="logs" aria-label="Log lines">
          {run.logs.map((line) => (
            <li key={line.id} class={`log log-${line.level}`}>
              <time class="muted" dateTime={line.time}>
                {formatInstant(line.time)}
              </time>{" "}
              <span class="log-level">{line.level}</span> {line.message}
            </li>
          ))}
        </ol>
      )}
      {run.logsTruncated && (
        <p class="muted">
          The run printed more than the platform keeps; the last stored line says where it was cut.
        </p>
      )}
    </section>
  );
}

function Chain({ session, run }: { session: Session; run: ExecutionWithLogs }) {
  // Read again once the run ends: what it caused is only known then.
  const trace = useLoad(async () => {
    const found = await session.client.admin.traces.get(run.id);
    const ids = eventIds(found.root).slice(0, MAX_EVENTS_READ);
    const events = new Map<string, StoredEvent>();
    const read = await Promise.allSettled(ids.map((id) => session.client.admin.events.get(id)));
    for (const result of read) if (result.status === "fulfilled") events.set(result.value.id, result.value);
    return { ...found, events };
  }, [session, run.id, run.status]);
  return (
    <section class="card panel run-section" aria-labelledby="run-chain">
      <h3 id="run-chain">Causal chain</h3>
      {trace.state === "error" && <ErrorMessage error={trace.error} onRetry={trace.reload} />}
      {trace.data === undefined ? (
        trace.state === "loading" && <Loading label="Tracing…" />
      ) : (
        <>
          <CausalChain root={trace.data.root} current={run.id} events={trace.data.events} />
          {trace.data.truncated && <p class="muted">The chain is longer than shown.</p>}
        </>
      )}
    </section>
  );
}

function eventIds(node: TraceNode): string[] {
  return [...(node.kind === "event" ? [node.id] : []), ...node.children.flatMap(eventIds)];
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
