// "Test run": runs the edited code (not deployed) with a payload the admin edits, through
// POST /api/functions/<name>/test, and shows the status, result or error, logs and duration.
import { useState } from "preact/hooks";
import { type FunctionSource, type TestRun, testRunFunction } from "../api/functions.js";
import type { Session } from "../session/session.js";
import { ErrorMessage } from "../ui/states.js";
import { parseJsonInput, prettyJson } from "./jsonInput.js";

export interface TestRunPanelProps {
  session: Session;
  name: string;
  /** The code and config as edited now; undefined while the config box holds bad JSON. */
  source: () => FunctionSource | { problem: string };
}

const DEFAULT_PAYLOAD = '{\n  "name": "Ada"\n}';

export function TestRunPanel({ session, name, source }: TestRunPanelProps) {
  const [payload, setPayload] = useState(DEFAULT_PAYLOAD);
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
    setRunning(true);
    try {
      setRun(await testRunFunction(session.http, name, { ...code, payload: parsed.value ?? {} }));
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
      <label class="field">
        <span>Payload (JSON)</span>
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
  const failed = run.error !== undefined && run.error !== null;
  const errorText = typeof run.error === "string" ? run.error : run.error?.message;
  return (
    <div class="test-result" aria-live="polite" data-testid="test-result">
      <p>
        <span class={`status status-${run.status}`}>{run.status}</span> in {formatDuration(run.durationMs)}
      </p>
      {failed ? (
        <pre class="output output-error">{errorText}</pre>
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
    </div>
  );
}

function formatDuration(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}
