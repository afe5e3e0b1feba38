// A function's source in CodeMirror 6 (./editorView.ts, loaded on first use). Uncontrolled: it
// reports each change, and a new `docKey` loads `value` as a new document.
import { useEffect, useRef, useState } from "preact/hooks";
import { ErrorMessage, Loading } from "../ui/states.js";

export interface CodeEditorProps {
  /** Which document is shown; when it changes, `value` is loaded. */
  docKey: string;
  value: string;
  label: string;
  onChange: (value: string) => void;
}

export function CodeEditor({ docKey, value, label, onChange }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const changed = useRef(onChange);
  changed.current = onChange;
  const [state, setState] = useState<"loading" | "ready" | { error: unknown }>("loading");

  useEffect(() => {
    let destroy: (() => void) | undefined;
    let gone = false;
    import("./editorView.js").then(
      ({ createEditorView }) => {
        if (gone || !host.current) return;
        const view = createEditorView({
          parent: host.current,
          doc: value,
          label,
          onChange: (doc) => changed.current(doc),
        });
        destroy = () => view.destroy();
        setState("ready");
      },
      (error: unknown) => setState({ error }),
    );
    return () => {
      gone = true;
      destroy?.();
    };
    // Only a new document rebuilds the editor; typing must not.
  }, [docKey]);

  return (
    <>
      {state === "loading" && <Loading label="Loading the editor…" />}
      {typeof state === "object" && <ErrorMessage error={state.error} />}
      <div class="code-editor" ref={host} />
    </>
  );
}
