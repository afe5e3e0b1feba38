// Secret values never reach stored logs or errors, even when function code prints them:
// `console.log(env.STRIPE_KEY)` is stored as "[secret]". Very short values are left alone, since
// replacing every "on" or "1" would garble logs without protecting anything.
import { heldFor } from "../../core/memo.js";

export const REDACTED = "[secret]";
const MIN_LENGTH = 4;

const redactors = new WeakMap<object, (text: string) => string>();

/** The redactor for the secrets an execution got; made once per `env` (readSecrets shares them). */
export function redactorFor(env: Readonly<Record<string, string>>): (text: string) => string {
  return heldFor(redactors, env, () => secretRedactor(Object.values(env)));
}

/** A redactor for these secret values; longer values first, so one never hides inside another. */
export function secretRedactor(values: Iterable<string>): (text: string) => string {
  const secrets = [...new Set(values)]
    .filter((v) => v.length >= MIN_LENGTH)
    .sort((a, b) => b.length - a.length);
  if (secrets.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const secret of secrets) if (out.includes(secret)) out = out.replaceAll(secret, REDACTED);
    return out;
  };
}

/** A redactor for JSON text, and how long the longest text it replaces is. */
export interface JsonRedactor {
  redact: (text: string) => string;
  /** A cut text must reach this far past its cut, so that no secret is left half shown. */
  reach: number;
}

const jsonRedactors = new WeakMap<object, JsonRedactor>();

/**
 * The redactor for kept inputs and results (JSON text): every secret value, as it is and as it
 * appears inside a JSON string (a value holding `"` or `\` or a newline is escaped there).
 */
export function jsonRedactorFor(env: Readonly<Record<string, string>>): JsonRedactor {
  return heldFor(jsonRedactors, env, () => {
    const values = Object.values(env).filter((v) => v.length >= MIN_LENGTH);
    const forms = [...values, ...values.map((v) => JSON.stringify(v).slice(1, -1))];
    return {
      redact: secretRedactor(forms),
      reach: forms.reduce((longest, v) => Math.max(longest, v.length), 0),
    };
  });
}
