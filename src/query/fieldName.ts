// The one rule for field names, shared by filters, sorts and the documents they address (records,
// user extra fields): letters, digits and `_`, not starting with a digit, at most 64 characters.
// Because every stored key obeys it, every stored field can be filtered and sorted on, and no
// caller-chosen text ever needs quoting inside a JSON path.

export const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The deepest field path a filter or sort may address (`a.b.c...`). */
export const MAX_PATH_DEPTH = 8;

export function isFieldName(name: string): boolean {
  return FIELD_NAME.test(name);
}

/** Shortens caller text quoted in an error message. */
export function truncate(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
