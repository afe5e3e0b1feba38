// The CodeMirror editor itself, in its own chunk (loaded when a function is opened, not at sign-in):
// TypeScript highlighting, the runtime API's completion, and the usual editing keys.
import { autocompletion } from "@codemirror/autocomplete";
import { indentWithTab } from "@codemirror/commands";
import { javascript, typescriptLanguage } from "@codemirror/lang-javascript";
import { EditorState } from "@codemirror/state";
import { keymap } from "@codemirror/view";
import { basicSetup, EditorView } from "codemirror";
import { backendCompletions } from "./backendCompletions.js";

export interface EditorOptions {
  parent: HTMLElement;
  doc: string;
  label: string;
  onChange: (doc: string) => void;
}

export function createEditorView({ parent, doc, label, onChange }: EditorOptions): EditorView {
  return new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        basicSetup,
        // Tab indents; Escape then Tab moves focus out of the editor (CodeMirror's own escape hatch).
        keymap.of([indentWithTab]),
        javascript({ typescript: true }),
        typescriptLanguage.data.of({ autocomplete: backendCompletions }),
        autocompletion({ activateOnTyping: true }),
        EditorView.contentAttributes.of({ "aria-label": label }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
}
