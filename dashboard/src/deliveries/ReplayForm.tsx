// Replays a delivery with an edited payload: the data as JSON, checked here (valid JSON, an object)
// before it is sent; what the API refuses (too large, ...) is shown with its message.
import { useEffect, useRef, useState } from "preact/hooks";
import { parseJsonObject, prettyJson } from "../ui/jsonInput.js";
import { ErrorMessage } from "../ui/states.js";

interface Props {
  initial: unknown;
  busy: boolean;
  /** The API's answer to the last replay, if it refused it. */
  error: unknown;
  onReplay: (data: Record<string, unknown>) => Promise<void>;
  onCancel: () => void;
}

export function ReplayForm({ initial, busy, error, onReplay, onCancel }: Props) {
  const [text, setText] = useState(() => prettyJson(initial ?? {}));
  const [problem, setProblem] = useState<string | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  // Opened by its button: the editor is what the admin came for.
  useEffect(() => textarea.current?.focus(), []);

  function submit(event: Event) {
    event.preventDefault();
    const checked = parseJsonObject(text, "The payload");
    if ("problem" in checked) {
      setProblem(checked.problem);
      return;
    }
    setProblem(null);
    void onReplay(checked.data);
  }

  return (
    <form id="replay-form" class="card replay-form" aria-label="Replay with edited payload" onSubmit={submit}>
      <div class="field">
        <label for="replay-payload">Payload (JSON)</label>
        <textarea
          id="replay-payload"
          ref={textarea}
          class="mono"
          rows={Math.min(16, Math.max(4, text.split("\n").length + 1))}
          spellcheck={false}
          value={text}
          aria-invalid={problem !== null}
          aria-describedby={problem !== null ? "replay-problem" : undefined}
          onInput={(e) => {
            setText(e.currentTarget.value);
            setProblem(null);
          }}
        />
      </div>
      {problem !== null && (
        <p id="replay-problem" class="form-error" role="alert">
          {problem}
        </p>
      )}
      {error !== null && <ErrorMessage error={error} />}
      <div class="actions">
        <button type="button" class="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? "Replaying…" : "Replay"}
        </button>
      </div>
    </form>
  );
}
