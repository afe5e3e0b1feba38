// Completion for the function runtime's API in the editor: after `backend.` its members, after
// `backend.entities.Task.` the entity operations, and the runtime's globals while typing a name.
import type { Completion, CompletionContext, CompletionResult } from "@codemirror/autocomplete";
import { type ApiMember, membersAt, RUNTIME_GLOBALS } from "./runtimeApi.js";

function toCompletion(member: ApiMember): Completion {
  return {
    label: member.label,
    type: member.type === "namespace" ? "namespace" : member.type,
    ...(member.detail ? { detail: member.detail } : {}),
    ...(member.info ? { info: member.info } : {}),
    boost: 1,
  };
}

export function backendCompletions(context: CompletionContext): CompletionResult | null {
  const chain = context.matchBefore(/[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\.[\w$]*$/);
  if (chain) {
    const parts = chain.text.split(".");
    const typed = parts.pop() ?? "";
    const members = membersAt(parts);
    if (!members || members.length === 0) return null;
    return {
      from: chain.to - typed.length,
      options: members.map(toCompletion),
      validFor: /^[\w$]*$/,
    };
  }
  const word = context.matchBefore(/[A-Za-z_$][\w$]*$/);
  if (!word || (word.from === word.to && !context.explicit)) return null;
  // Bare names: only the real globals (context and asServiceRole are not globals).
  const globals = RUNTIME_GLOBALS.filter((g) => !["context", "asServiceRole"].includes(g.label));
  return { from: word.from, options: globals.map(toCompletion), validFor: /^[\w$]*$/ };
}
