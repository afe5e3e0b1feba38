// "Test run": runs the edited code (not deployed) with a payload the admin edits, through
// POST /api/functions/<name>/test, as a call or as the handler of an event type (the payload is then
// the event's data), and shows the status, result or error, logs and duration.
import { useMemo, useState } from "preact/hooks";
import type { FunctionSource, TestRun, TestRunInput } from "../../../src/sdk/index.js";
import { Link } from "../router/router.js";
import type { Session } from "../session/session.js";
import { ErrorMessage } from "../ui/states.js";
import { useLoad } from "../ui/useLoad.js";
import { parseJsonInput, prettyJson } from "../ui/jsonInput.js";
import { formatDuration } from "../ui/formatTime.js";

export interface TestRunPanelProps {
  session: Session;
  name: string;
  /** The code and config as edited now; undefined while the config box holds bad JSON. */
  source: () => FunctionSource | { problem: string };
  /** The event types the function is subscribed to, offered first for "Run as event". */
  ownEvents?: string[];
}

const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9_.:-]*$/;

const DEFAULT_PAYLOAD = '{\n  "name": "Ada"\n}';

export function TestRunPanel({ session, name, source, ownEvents = [] }: TestRunPanelProps) {
  const [payload, setPayload] = useState(DEFAULT_PAYLOAD);
  const [event, setEvent] = useState("");
  const types = useLoad(() => session.client.admin.events.types(), [session]);
  const suggestions = useMemo(
    () => [...new Set([...ownEvents, ...(types.data ?? []).map((type) => type.type)])],
    [ownEvents.join(","), types.data],
  );
  const [running, setRunning] = useState(false);
  const [run, setRun] = useState<TestRun | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function start() {
    setError(null);
    setRun(null);
    const parsed = parseJsonInput(payload, "The payload");
    if ("problem" in parsed) return setError(new Error(parsed.problem));
    const code = source();
    if ("problem" in code) return setError(new Error(code.problem));
    const eventType = event.trim();
    if (eventType && !EVENT_TYPE.test(eventType)) {
      return setError(
        new Error(`"${eventType}" is not an event type such as PRE_USER_CREATE or order_placed`),
      );
    }
    const input: TestRunInput = { ...code, payload: parsed.value ?? {} };
    if (eventType) input.event = eventType;
    setRunning(true);
    try {
      setRun(await session.client.admin.functions.test(name, input));
    } catch (failure) {
      setError(failure);
    } finally {
      setRunning(false);
    }
  }

  return (
    <section class="card panel" aria-labelledby="test-run-title">
      <h2 id="test-run-title">Test run</h2>
      <p class="muted">Runs the code as edited, without deploying it.</p>
      <label class="field test-run-as">
        <span>Run as event (optional)</span>
        <input
          name="event"
          list="test-run-events"
          autocomplete="off"
          placeholder="empty: a call"
          value={event}
          onInput={(e) => setEvent(e.currentTarget.value)}
          aria-describedby="test-run-event-help"
        />
        <datalist id="test-run-events">
          {suggestions.map((type) => (
            <option key={type} value={type} />
          ))}
        </datalist>
        <small id="test-run-event-help" class="muted">
          Empty runs it as a call. An event type (PRE_RECORD_CREATE, order_placed…) runs it as that event's
          handler, with the payload as the event's data.
        </small>
      </label>
      {types.state === "error" && <ErrorMessage error={types.error} onRetry={types.reload} />}
      <label class="field">
        <span>{event.trim() ? "Event data (JSON)" : "Payload (JSON)"}</span>
        <textarea
          name="payload"
          rows={5}
          spellcheck={false}
          class="mono"
          value={payload}
          onInput={(e) => setPayload(e.currentTarget.value)}
        />
      </label>
      <button type="button" class="button" onClick={start} disabled={running}>
        {running ? "Running…" : "Run test"}
      </button>
      {error !== null && <ErrorMessage error={error} />}
      {run && <TestRunResult run={run} />}
    </section>
  );
}

function TestRunResult({ run }: { run: TestRun }) {
  const failed = run.error !== undefined;
  const errorText = run.error?.message;
  return (
    <div class="test-result" aria-live="polite" data-testid="test-result">
      <p>
        <span class={`status status-${run.status}`}>{run.status}</span> in {formatDuration(run.durationMs)}
        {run.executionId && (
          <>
            {" · "}
            <Link to={`/executions/${encodeURIComponent(run.executionId)}`}>execution</Link>
          </>
        )}
      </p>
      {failed ? (
        <pre class="output output-error">{errorText}</pre>
      ) : run.response ? (
        <>
          <h3>Response {run.response.status}</h3>
          <pre class="output">{run.response.body}</pre>
        </>
      ) : (
        <>
          <h3>Result</h3>
          <pre class="output">{prettyJson(run.result)}</pre>
        </>
      )}
      <h3>Logs</h3>
      {run.logs.length === 0 ? (
        <p class="muted">No log lines.</p>
      ) : (
        <ol class="logs">
          {run.logs.map((log, i) => (
            <li key={i} class={`log log-${log.level}`}>
              <span class="log-level">{log.level}</span> <span class="log-message">{log.message}</span>
            </li>
          ))}
        </ol>
      )}
      {run.logsTruncated && <p class="muted">The logs were cut off at the size limit.</p>}
    </div>
  );
}
