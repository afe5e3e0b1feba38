// A schedule as a developer writes it: a cron expression (croner syntax, 5 or 6 fields), a croner
// nickname (@daily...), or one of our phrases ("every 15 minutes"). The answer is always a cron.
import { ValidationError } from "../../core/errors.js";
import { checkCron } from "./cronPattern.js";
import { ACCEPTED_PHRASES, phraseToCron } from "./phrases.js";

const NICKNAMES: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

/**
 * The cron of a schedule expression: a valid cron pattern comes back as written (spaces tidied),
 * a nickname or a phrase as its cron (`phrase` tells which). Throws ValidationError otherwise,
 * with croner's reason for a broken cron and the accepted phrases for anything else.
 */
export function parseExpression(text: string): { cron: string; phrase: boolean } {
  const tidy = text.trim().replace(/\s+/g, " ");
  if (tidy.startsWith("@")) return { cron: nickname(tidy), phrase: false };
  if (looksLikeCron(tidy)) {
    checkCron(tidy);
    return { cron: tidy, phrase: false };
  }
  const cron = phraseToCron(tidy);
  if (cron === undefined) {
    const phrases = ACCEPTED_PHRASES.map((phrase) => `"${phrase}"`).join(", ");
    throw new ValidationError(
      `"${text}" is not a schedule: write a cron expression ("0 9 * * *", 5 or 6 fields) or a phrase such as ${phrases}`,
      { accepted: ACCEPTED_PHRASES },
    );
  }
  checkCron(cron);
  return { cron, phrase: true };
}

function nickname(text: string): string {
  const cron = NICKNAMES[text.toLowerCase()];
  if (cron === undefined) {
    const known = Object.keys(NICKNAMES).join(", ");
    throw new ValidationError(`"${text}" is not a schedule: the cron nicknames are ${known}`);
  }
  return cron;
}

// A cron's first field (seconds or minutes) never holds letters, and no phrase starts with a
// digit, so "9am daily" is a (bad) phrase while "* * * *" is a (bad) cron, each with its own error.
function looksLikeCron(text: string): boolean {
  return /^[\d*?,/-]+$/.test(text.split(" ")[0]!);
}
