// The read-only diff of one file, in its own chunk (loaded when a diff is first shown): CodeMirror's
// unified merge view, the newer text with the older one's removed lines shown above the lines that
// replace them, long unchanged stretches folded.
import { javascript } from "@codemirror/lang-javascript";
import { defaultHighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { unifiedMergeView } from "@codemirror/merge";
import { EditorState } from "@codemirror/state";
import { EditorView, lineNumbers } from "@codemirror/view";

export interface DiffOptions {
  parent: HTMLElement;
  /** The older text. */
  original: string;
  /** The newer text. */
  changed: string;
  label: string;
  /** Highlight as TypeScript. */
  code: boolean;
}

export function createDiffView({ parent, original, changed, label, code }: DiffOptions): EditorView {
  return new EditorView({
    parent,
    state: EditorState.create({
      doc: changed,
      extensions: [
        lineNumbers(),
        EditorState.readOnly.of(true),
        EditorView.editable.of(false),
        EditorView.contentAttributes.of({ "aria-label": label }),
        ...(code
          ? [javascript({ typescript: true }), syntaxHighlighting(defaultHighlightStyle, { fallback: true })]
          : []),
        unifiedMergeView({
          original,
          mergeControls: false,
          collapseUnchanged: { margin: 3, minSize: 6 },
        }),
      ],
    }),
  });
}
