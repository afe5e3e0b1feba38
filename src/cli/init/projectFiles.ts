// Every file `backend init` writes, as path (relative to the project root) -> text: the example
// functions, backend.config.jsonc, a tsconfig.json that type-checks functions against the
// generated declarations in types/, and the declarations themselves.
import path from "node:path";
import { functionTypes } from "../types/functionTypes.js";
import { RUNTIME_DECLARATIONS_FILE, runtimeDeclarations } from "../types/runtimeDeclarations.js";
import { SDK_TYPES_DIR, sdkDeclarations } from "../types/sdkTypes.js";
import { exampleFunctions } from "./exampleFunctions.js";

export const FUNCTIONS_DIR = "functions";
export const TYPES_DIR = "types";
export const GITIGNORE_LINES = [".backend/", "node_modules/"];

const CONFIG = `// Settings of this backend project (comments and trailing commas are fine). See docs/dev.md.
{
  // Where the functions live, relative to this file.
  "functionsDir": "${FUNCTIONS_DIR}",
  // The server that \`backend functions deploy\` and the other commands talk to; BACKEND_URL and
  // --url take its place. \`backend dev\` runs a local server of its own.
  "serverUrl": "http://127.0.0.1:8787",
  // Settings of the server that \`backend dev\` and \`backend start\` run from this folder, e.g.
  // "server": { "functions": { "callTimeoutMs": 10000 } }
}
`;

const DECLARATIONS = `./${TYPES_DIR}/${RUNTIME_DECLARATIONS_FILE}`;

// tsc and editors read tsconfig.json as JSONC, so it can say why its settings are there.
const TSCONFIG = `{
  // Type-checks the functions against the sandbox they run in: npx -p typescript tsc
  "compilerOptions": {
    "target": "ES2022",
    "module": "ESNext",
    // Finds ./lib.js for lib.ts, as the deploy does.
    "moduleResolution": "Bundler",
    // The closest to the sandbox: fetch, Request, Response, crypto, timers; no DOM, no Node.
    "lib": ["ES2023", "WebWorker"],
    "types": [],
    "strict": true,
    // Handlers written as \`function (event, context)\` (and classic scripts) need no annotations.
    "noImplicitAny": false,
    "allowJs": true,
    "checkJs": true,
    "noEmit": true,
    "skipLibCheck": true,
    "resolveJsonModule": true,
    // "backend" (and the Base44 name the server also accepts) is the generated declaration file,
    // so nothing needs installing.
    "paths": {
      "backend": ["${DECLARATIONS}"],
      "npm:@base44/sdk": ["${DECLARATIONS}"]
    }
  },
  "include": ["${FUNCTIONS_DIR}", "${TYPES_DIR}"]
}
`;

/** The generated declarations in types/: the sandbox and "backend" module, and the SDK's own. */
export function runtimeTypeFiles(typesDir = TYPES_DIR): Record<string, string> {
  const sdk = sdkDeclarations();
  const sdkTyping = /\binterface FunctionsTyping\b/.test(sdk["functions.d.ts"] ?? "");
  const files: Record<string, string> = {
    [`${typesDir}/${RUNTIME_DECLARATIONS_FILE}`]: runtimeDeclarations(sdkTyping),
  };
  for (const [name, text] of Object.entries(sdk)) {
    files[`${typesDir}/${SDK_TYPES_DIR}/${name}`] = text;
  }
  return files;
}

/** The files of a new project (without .gitignore, which is merged, not overwritten). */
export function projectFiles(root: string): Record<string, string> {
  const examples = exampleFunctions(FUNCTIONS_DIR);
  const files: Record<string, string> = { "backend.config.jsonc": CONFIG, "tsconfig.json": TSCONFIG };
  for (const example of examples) Object.assign(files, example.files);
  Object.assign(files, runtimeTypeFiles());
  const typesFile = `${TYPES_DIR}/functions.d.ts`;
  const functions = examples.map(({ name, entryFile }) => ({ name, entryFile }));
  const readPlanned = (file: string) => files[path.relative(root, file).split(path.sep).join("/")] ?? "";
  files[typesFile] = functionTypes({ root, functions }, path.join(root, typesFile), readPlanned);
  return files;
}
