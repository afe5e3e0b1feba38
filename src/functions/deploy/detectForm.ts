// Decides how the runtime calls a function (its "form", SPEC §3) by reading the entry's syntax tree
// after esbuild has stripped the TypeScript. A classic script or a bare `function handler` gets one
// export line appended, so every form reaches the runtime as a module with a known export.
import { parse } from "acorn";
import { type TransformFailure, transform } from "esbuild";
import { ValidationError } from "../../core/errors.js";
import type { FunctionForm } from "../runtime/types.js";
import { describeBuildErrors } from "./buildErrors.js";
import { readExportedConfig } from "./exportedConfig.js";
import type { Loader } from "./sourceFiles.js";

export interface DetectedForm {
  form: FunctionForm;
  /** The function the runtime calls, when the entry names one. */
  handler?: string;
  /** Appended to the entry's source before bundling ("" when nothing is needed). */
  append: string;
  /** With `readConfig`: the value of `export const config = {...}`, if any (see exportedConfig.ts). */
  config?: unknown;
}

/** Names that mark a classic script's handler, in order of preference (`handler` has its own form). */
const HANDLER_NAMES = ["handle", "main"];

const HOW_TO_NAME =
  "export the handler (export default async function (event, context) { ... }), or name it handler, handle or main";

interface Node {
  type: string;
  [key: string]: unknown;
}

export async function detectForm(
  source: string,
  loader: Loader,
  display: string,
  options: { readConfig?: boolean } = {},
): Promise<DetectedForm> {
  const program = await parseEntry(source, loader, display);
  const detected = formOf(program.body, display);
  const config = options.readConfig ? readExportedConfig(program.body, display) : undefined;
  return config === undefined ? detected : { ...detected, config };
}

/** Only the value of `export const config = {...}` in an entry, if any; its form is not checked. */
export async function readEntryConfig(source: string, loader: Loader, display: string): Promise<unknown> {
  return readExportedConfig((await parseEntry(source, loader, display)).body, display);
}

async function parseEntry(source: string, loader: Loader, display: string): Promise<{ body: Node[] }> {
  const program = parse(await toJavaScript(source, loader, display), {
    ecmaVersion: "latest",
    sourceType: "module",
    allowHashBang: true,
  }) as unknown as { body: Node[] };
  return program;
}

function formOf(body: Node[], display: string): DetectedForm {
  if (body.some(exportsName("default"))) return { form: "default", append: "" };
  if (body.some(callsDenoServe)) return { form: "deno", append: "" };
  if (body.some(exportsName("handler"))) return { form: "handler", handler: "handler", append: "" };
  if (body.some(declares("handler"))) {
    return { form: "handler", handler: "handler", append: "\nexport { handler };\n" };
  }

  const functions = body.flatMap((statement) => {
    const declaration =
      statement.type === "ExportNamedDeclaration" ? (statement.declaration as Node) : statement;
    return declaration?.type === "FunctionDeclaration" ? [(declaration.id as Node).name as string] : [];
  });
  if (functions.length === 0) {
    throw new ValidationError(
      `${display}: found no handler. Write export default async function (event, context) { ... }, ` +
        "a function named handler, a classic script with one top-level function, or Deno.serve(async (req) => ...)",
    );
  }
  const handler =
    HANDLER_NAMES.find((name) => functions.includes(name)) ?? onlyUncalled(body, functions, display);
  return { form: "classic", handler, append: `\nexport default ${handler};\n` };
}

/** SPEC §3: the handler of a classic script is the only top-level function nothing else calls. */
function onlyUncalled(body: Node[], functions: string[], display: string): string {
  const referenced = new Set<string>();
  for (const statement of body) {
    const declaration =
      statement.type === "ExportNamedDeclaration" ? (statement.declaration as Node) : statement;
    const own =
      declaration?.type === "FunctionDeclaration" ? ((declaration.id as Node).name as string) : undefined;
    const target = own ? [declaration!.params, declaration!.body] : statement;
    for (const name of referencedNames(target)) if (name !== own) referenced.add(name);
  }
  const uncalled = functions.filter((name) => !referenced.has(name));
  if (uncalled.length === 1) return uncalled[0]!;
  const which =
    uncalled.length === 0
      ? `each of its top-level functions (${functions.join(", ")}) is called by other code`
      : `${uncalled.join(", ")} are top-level functions that nothing calls`;
  throw new ValidationError(
    `${display}: cannot tell which function is the handler: ${which}. To fix it, ${HOW_TO_NAME}`,
  );
}

async function toJavaScript(source: string, loader: Loader, display: string): Promise<string> {
  try {
    const result = await transform(source, {
      loader,
      sourcefile: display,
      target: "es2022",
      logLevel: "silent",
    });
    return result.code;
  } catch (error) {
    const failure = error as TransformFailure;
    if (!Array.isArray(failure.errors)) throw error;
    throw new ValidationError(
      describeBuildErrors(failure.errors, () => display),
      { errors: failure.errors },
    );
  }
}

function exportsName(name: string) {
  return (statement: Node): boolean => {
    if (name === "default" && statement.type === "ExportDefaultDeclaration") return true;
    if (statement.type !== "ExportNamedDeclaration") return false;
    const declaration = statement.declaration as Node | null;
    if (declaration && declares(name)(declaration)) return true;
    return ((statement.specifiers as Node[]) ?? []).some((s) => nameOf(s.exported as Node) === name);
  };
}

function declares(name: string) {
  return (statement: Node): boolean => {
    if (statement.type === "FunctionDeclaration") return (statement.id as Node).name === name;
    if (statement.type === "VariableDeclaration") {
      return (statement.declarations as Node[]).some(
        (d) => (d.id as Node).type === "Identifier" && (d.id as Node).name === name,
      );
    }
    return false;
  };
}

function nameOf(node: Node): string | undefined {
  return node.type === "Identifier" ? (node.name as string) : (node.value as string | undefined);
}

/** `Deno.serve(...)`, `await Deno.serve(...)` or `const server = Deno.serve(...)` at the top level. */
function callsDenoServe(statement: Node): boolean {
  const expressions =
    statement.type === "ExpressionStatement"
      ? [statement.expression as Node]
      : statement.type === "VariableDeclaration"
        ? (statement.declarations as Node[]).map((d) => d.init as Node | null).filter((n): n is Node => !!n)
        : [];
  return expressions.some((expression) => {
    const call = expression.type === "AwaitExpression" ? (expression.argument as Node) : expression;
    if (call.type !== "CallExpression") return false;
    const callee = call.callee as Node;
    if (callee.type !== "MemberExpression" || callee.computed) return false;
    const object = callee.object as Node;
    const property = callee.property as Node;
    return object.type === "Identifier" && object.name === "Deno" && property.name === "serve";
  });
}

/** Identifiers used as values under `node` (not property names, which name no function). */
function referencedNames(node: unknown, names: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const child of node) referencedNames(child, names);
    return names;
  }
  if (!node || typeof node !== "object" || typeof (node as Node).type !== "string") return names;
  const n = node as Node;
  if (n.type === "Identifier") {
    names.push(n.name as string);
    return names;
  }
  for (const [key, child] of Object.entries(n)) {
    if (key === "property" && n.type === "MemberExpression" && !n.computed) continue;
    if (
      key === "key" &&
      !n.computed &&
      ["Property", "MethodDefinition", "PropertyDefinition"].includes(n.type)
    ) {
      continue;
    }
    if (key === "label") continue;
    // `export { main }` publishes a function; it does not call it.
    if (key === "specifiers" && n.type === "ExportNamedDeclaration") continue;
    referencedNames(child, names);
  }
  return names;
}
