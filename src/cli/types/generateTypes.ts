// What `backend types generate` (and `backend dev`, after each deploy) writes: the functions'
// types file, and, in a project made by `backend init`, a fresh copy of the declarations of the
// sandbox and the SDK in types/ (so upgrading the CLI upgrades them).
import { existsSync } from "node:fs";
import path from "node:path";
import { runtimeTypeFiles, TYPES_DIR } from "../init/projectFiles.js";
import { functionTypes, type TypedProject } from "./functionTypes.js";
import { RUNTIME_DECLARATIONS_FILE } from "./runtimeDeclarations.js";
import { type WriteStatus, writeIfChanged } from "./writeIfChanged.js";

export interface GeneratedFile {
  /** Relative to the project's root. */
  file: string;
  status: WriteStatus;
}

export function generateTypes(project: TypedProject, outFile: string): GeneratedFile[] {
  const shown = (file: string) => path.relative(project.root, file).split(path.sep).join("/");
  const results: GeneratedFile[] = [
    { file: shown(outFile), status: writeIfChanged(outFile, functionTypes(project, outFile)) },
  ];
  if (existsSync(path.join(project.root, TYPES_DIR, RUNTIME_DECLARATIONS_FILE))) {
    for (const [file, text] of Object.entries(runtimeTypeFiles())) {
      results.push({ file, status: writeIfChanged(path.join(project.root, file), text) });
    }
  }
  return results;
}
