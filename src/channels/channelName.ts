// Channel names: what a client may name in a frame or a URL. Letters, digits and `_ . : @ / -`, so
// names like `chat:lobby`, `room/42` or `inbox:<user id>` work, and nothing that needs escaping.
import { ValidationError } from "../core/errors.js";

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:@/-]{0,127}$/;

/** Returns the name when it is a valid channel name; throws a 400 otherwise. */
export function checkChannelName(name: unknown): string {
  if (typeof name !== "string" || !NAME.test(name)) {
    const shown = typeof name === "string" ? `'${name.slice(0, 60)}'` : "(not a string)";
    throw new ValidationError(
      `Invalid channel name ${shown}: start with a letter or digit, then letters, digits, _ . : @ / or -, at most 128 characters`,
    );
  }
  return name;
}
