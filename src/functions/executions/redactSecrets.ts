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
