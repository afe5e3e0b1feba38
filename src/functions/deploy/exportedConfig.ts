// SPEC §10: a single-file function may export its function.jsonc object as `config`. The server
// reads it from the syntax tree, never by running the code, so it must be a literal: objects,
// arrays, strings, numbers, booleans and null (TypeScript's `as const` / `satisfies` are fine).
import { ValidationError } from "../../core/errors.js";

interface Node {
  type: string;
  [key: string]: unknown;
}

/** The value of `export const config = {...}` among the top-level statements, if there is one. */
export function readExportedConfig(body: Node[], display: string): unknown {
  for (const statement of body) {
    if (statement.type !== "ExportNamedDeclaration") continue;
    const declaration = statement.declaration as Node | null;
    if (declaration?.type !== "VariableDeclaration") continue;
    for (const declarator of declaration.declarations as Node[]) {
      const id = declarator.id as Node;
      if (id.type !== "Identifier" || id.name !== "config" || !declarator.init) continue;
      try {
        return literal(declarator.init as Node);
      } catch {
        throw new ValidationError(
          `${display}: export const config must be a plain literal (objects, arrays, strings, numbers, booleans), ` +
            "since the server reads it without running your code; or put it in function.jsonc",
        );
      }
    }
  }
  return undefined;
}

function literal(node: Node): unknown {
  switch (node.type) {
    case "Literal":
      if (node.regex || typeof node.value === "bigint") break;
      return node.value;
    case "TemplateLiteral":
      if ((node.expressions as Node[]).length > 0) break;
      return ((node.quasis as Node[])[0]!.value as { cooked: string }).cooked;
    case "UnaryExpression":
      if (node.operator === "-" && (node.argument as Node).type === "Literal") {
        const value = (node.argument as Node).value;
        if (typeof value === "number") return -value;
      }
      break;
    case "ArrayExpression":
      return (node.elements as (Node | null)[]).map((element) => {
        if (!element || element.type === "SpreadElement") throw new Error("not a literal");
        return literal(element);
      });
    case "ObjectExpression": {
      const out: Record<string, unknown> = {};
      for (const property of node.properties as Node[]) {
        if (property.type !== "Property" || property.computed || property.kind !== "init" || property.method)
          break;
        const key = property.key as Node;
        const name = key.type === "Identifier" ? (key.name as string) : String(key.value);
        out[name] = literal(property.value as Node);
      }
      if (Object.keys(out).length !== (node.properties as Node[]).length) break;
      return out;
    }
  }
  throw new Error("not a literal");
}
