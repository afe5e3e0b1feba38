// The server's naming rule (src/functions/deploy/functionName.ts), checked before the editor opens so
// a typo is caught at once; the deploy checks it again and its message wins.
const PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*(\/[A-Za-z0-9][A-Za-z0-9_-]*)*$/;
const MAX = 128;

export function nameProblem(name: string): string | null {
  if (name === "") return "The function name is empty";
  if (name.length > MAX) return `The function name is ${name.length} characters long, the limit is ${MAX}`;
  if (!PATTERN.test(name)) {
    return (
      `'${name}' is not a valid function name: use letters, digits, '_' and '-', starting with a letter ` +
      "or digit; '/' separates the parts of a nested name (email/send)"
    );
  }
  return null;
}
