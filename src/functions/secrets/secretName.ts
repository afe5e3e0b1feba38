// What a secret may be called: an environment-variable name, as functions read it (`env.STRIPE_KEY`).
import { ValidationError } from "../../core/errors.js";

export const SECRET_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const SECRET_NAME_MAX = 128;

export function checkSecretName(name: string): string {
  if (!SECRET_NAME_PATTERN.test(name) || name.length > SECRET_NAME_MAX) {
    throw new ValidationError(
      `'${name.slice(0, SECRET_NAME_MAX)}' is not a valid secret name: use letters, digits and '_', not starting ` +
        `with a digit, at most ${SECRET_NAME_MAX} characters (e.g. STRIPE_API_KEY)`,
    );
  }
  return name;
}
