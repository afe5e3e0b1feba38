// esbuild's messages as a deploy answers them: one line per problem, `file:line:column: text`,
// with the file named as the developer knows it (functions/<name>/entry.ts).
import type { Message } from "esbuild";

/** Marks an error our resolver raised (a refused import): the column adds nothing there. */
export const REFUSED_IMPORT = "refused-import";

const MAX_SHOWN = 10;

/** What to do about esbuild messages whose fix is not obvious in a function. */
const HINTS: [RegExp, string][] = [
  [
    /^Top-level await is currently not supported/,
    "; functions load as scripts: move the await into the handler",
  ],
];

export function describeBuildErrors(errors: Message[], displayOf: (file: string) => string): string {
  const lines = errors.slice(0, MAX_SHOWN).map((error) => {
    const at = error.location;
    const text = error.text + (HINTS.find(([pattern]) => pattern.test(error.text))?.[1] ?? "");
    if (!at) return text;
    const file = displayOf(at.file);
    const where =
      error.detail === REFUSED_IMPORT ? `${file}:${at.line}` : `${file}:${at.line}:${at.column + 1}`;
    return `${where}: ${text}`;
  });
  if (errors.length > MAX_SHOWN) lines.push(`... and ${errors.length - MAX_SHOWN} more errors`);
  return lines.join("\n");
}
