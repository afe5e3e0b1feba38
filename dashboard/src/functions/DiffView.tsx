// The diff of one file between two texts, drawn by ./diffView.ts (CodeMirror's merge view, loaded on
// first use like the editor).
import { useEffect, useRef, useState } from "preact/hooks";
import { ErrorMessage, Loading } from "../ui/states.js";

export interface DiffViewProps {
  original: string;
  changed: string;
  label: string;
  code: boolean;
}

export function DiffView({ original, changed, label, code }: DiffViewProps) {
  const host = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<"loading" | "ready" | { error: unknown }>("loading");

  useEffect(() => {
    let destroy: (() => void) | undefined;
    let gone = false;
    setState("loading");
    import("./diffView.js").then(
      ({ createDiffView }) => {
        if (gone || !host.current) return;
        const view = createDiffView({ parent: host.current, original, changed, label, code });
        destroy = () => view.destroy();
        setState("ready");
      },
      (error: unknown) => setState({ error }),
    );
    return () => {
      gone = true;
      destroy?.();
    };
  }, [original, changed, label, code]);

  return (
    <>
      {state === "loading" && <Loading label="Loading the diff…" />}
      {typeof state === "object" && <ErrorMessage error={state.error} />}
      <div class="diff-view" ref={host} />
    </>
  );
}
