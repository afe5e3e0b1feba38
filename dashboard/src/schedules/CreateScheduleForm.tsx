// Creates a schedule: a deployed function, an expression (a phrase such as "Daily at 9 AM" or a cron)
// and a time zone (the browser's by default), with a live preview of its cron and next runs.
import { useEffect, useState } from "preact/hooks";
import type { SchedulePreview } from "../../../src/sdk/index.js";
import type { Session } from "../session/session.js";
import { formatTime } from "../ui/formatTime.js";
import { ErrorMessage } from "../ui/states.js";
import { useLoad } from "../ui/useLoad.js";

const PREVIEW_DELAY_MS = 300;

function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

type PreviewState =
  | { state: "idle" }
  | { state: "loading" }
  | { state: "ready"; preview: SchedulePreview }
  | { state: "error"; error: unknown };

export function CreateScheduleForm({ session, onCreated }: { session: Session; onCreated: () => void }) {
  const functions = useLoad(() => session.client.admin.functions.list(), [session]);
  const [fn, setFn] = useState("");
  const [expression, setExpression] = useState("");
  const [timezone, setTimezone] = useState(browserTimeZone);
  const [name, setName] = useState("");
  const [preview, setPreview] = useState<PreviewState>({ state: "idle" });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const choices = (functions.data ?? []).map((f) => f.name);
  const chosen = choices.includes(fn) ? fn : (choices[0] ?? "");

  useEffect(() => {
    const schedule = expression.trim();
    if (schedule === "") {
      setPreview({ state: "idle" });
      return;
    }
    let current = true;
    setPreview({ state: "loading" });
    const timer = setTimeout(() => {
      const zone = timezone.trim();
      session.client.schedules.preview({ schedule, ...(zone ? { timezone: zone } : {}), count: 3 }).then(
        (answer) => current && setPreview({ state: "ready", preview: answer }),
        (failure: unknown) => current && setPreview({ state: "error", error: failure }),
      );
    }, PREVIEW_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [session, expression, timezone]);

  async function submit(event: Event) {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const zone = timezone.trim();
      await session.client.schedules.create({
        function: chosen,
        schedule: expression.trim(),
        ...(zone ? { timezone: zone } : {}),
        ...(name.trim() ? { name: name.trim() } : {}),
      });
      setExpression("");
      setName("");
      onCreated();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  if (functions.state === "error") return <ErrorMessage error={functions.error} onRetry={functions.reload} />;
  if (functions.data && choices.length === 0) {
    return <p class="muted">Deploy a function to schedule it.</p>;
  }
  return (
    <form class="card inline-form schedule-form" onSubmit={submit} aria-label="Create a schedule">
      <div class="field">
        <label for="schedule-function">Function</label>
        <select
          id="schedule-function"
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
      <div class="field">
        <label for="schedule-expression">Schedule</label>
        <input
          id="schedule-expression"
          name="schedule"
          placeholder="Daily at 9 AM or 0 9 * * *"
          required
          value={expression}
          onInput={(e) => setExpression(e.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for="schedule-timezone">Time zone</label>
        <input
          id="schedule-timezone"
          name="timezone"
          placeholder="UTC"
          value={timezone}
          onInput={(e) => setTimezone(e.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for="schedule-name">Name (optional)</label>
        <input
          id="schedule-name"
          name="name"
          placeholder="a name is made up"
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
      </div>
      <button
        type="submit"
        class="button button-primary"
        disabled={busy || chosen === "" || preview.state !== "ready"}
      >
        {busy ? "Creating…" : "Create"}
      </button>
      <PreviewView preview={preview} />
      {error !== null && <ErrorMessage error={error} />}
    </form>
  );
}

function PreviewView({ preview }: { preview: PreviewState }) {
  if (preview.state === "idle") return null;
  if (preview.state === "error") return <ErrorMessage error={preview.error} />;
  if (preview.state === "loading") {
    return (
      <p class="muted" role="status" aria-live="polite" style={{ flexBasis: "100%" }}>
        Reading the schedule…
      </p>
    );
  }
  const { cron, timezone, nextRuns } = preview.preview;
  return (
    <div
      class="schedule-preview"
      data-testid="schedule-preview"
      aria-live="polite"
      style={{ flexBasis: "100%" }}
    >
      <p>
        Cron <code data-testid="preview-cron">{cron}</code> in {timezone}
      </p>
      {nextRuns.length === 0 ? (
        <p class="muted">It never runs.</p>
      ) : (
        <>
          <p class="muted">Next runs:</p>
          <ul data-testid="preview-next-runs">
            {nextRuns.map((run) => (
              <li key={run} title={run}>
                {formatTime(run, timezone)}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
