// Reads a JSONC file (comments and trailing commas allowed) keeping its syntax tree, so that a
// problem found later, by path, can be placed on its line: `functions/x/function.jsonc:4`.
import {
  findNodeAtLocation,
  getNodeValue,
  type Node,
  type ParseError,
  parseTree,
  printParseErrorCode,
} from "jsonc-parser";
import { ProjectError } from "./projectError.js";

export interface JsoncFile {
  /** As shown in messages (relative to the project). */
  display: string;
  text: string;
  root: Node;
  value: Record<string, unknown>;
}

/** Parses `text`; syntax errors and anything but one object throw a ProjectError with file:line:column. */
export function parseJsonc(text: string, display: string): JsoncFile {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const first = errors[0]!;
    const { line, column } = lineAndColumn(text, first.offset);
    throw new ProjectError(`${display}:${line}:${column}: ${describeParseError(first)}`, {
      file: display,
      line,
    });
  }
  if (!root || root.type !== "object") {
    throw new ProjectError(`${display}:1: must hold one JSON object ({ ... })`, { file: display, line: 1 });
  }
  return { display, text, root, value: getNodeValue(root) as Record<string, unknown> };
}

/** The line of the property at `path`, or of the closest enclosing one that exists. */
export function lineOf(file: JsoncFile, path: (string | number)[]): number {
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(file.root, path.slice(0, n));
    if (!node) continue;
    // For an object member, its key's line: `"timeout": 5` rather than a value on the next line.
    const at = node.parent?.type === "property" ? node.parent.offset : node.offset;
    return lineAndColumn(file.text, at).line;
  }
  return 1;
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

function describeParseError(error: ParseError): string {
  const code = printParseErrorCode(error.error);
  const words: Record<string, string> = {
    ValueExpected: "a value is expected here",
    CommaExpected: "a comma is expected here",
    PropertyNameExpected: "a property name in double quotes is expected here",
    ColonExpected: "a colon is expected here",
    CloseBraceExpected: "a closing } is expected here",
    CloseBracketExpected: "a closing ] is expected here",
    EndOfFileExpected: "nothing may follow the object",
    InvalidSymbol: "this is not JSON",
    UnexpectedEndOfString: "the string is not closed",
    UnexpectedEndOfComment: "the comment is not closed",
  };
  return `${words[code] ?? code} (${code})`;
}
