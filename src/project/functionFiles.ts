// The files of the project a function's bundle is made of, found by letting esbuild follow its local
// imports (packages and the SDK are left out). They are what the server stores for the function and
// what `pull` writes back: its own files and the functions/_shared/ helpers it uses.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { build, type Metafile } from "esbuild";
import { BUNDLE_OPTIONS } from "../functions/deploy/bundleFunction.js";
import { type FunctionPlace, fileRole } from "./fileRoles.js";
import type { Project } from "./loadProject.js";
import { projectImports } from "./projectImports.js";

/**
 * The files of the project a function's bundle is made of, keyed as the server stores them: its own
 * (relative to its folder) and those of functions/_shared/ (as `_shared/<path>`). Packages and files
 * outside functions/ are not listed. A function that does not build yet lists only its entry (the
 * deploy will say what is wrong).
 */
export async function functionFiles(
  project: Pick<Project, "root" | "functionsDir">,
  fn: FunctionPlace,
): Promise<Record<string, string>> {
  let inputs: string[];
  try {
    const result = await build({
      ...BUNDLE_OPTIONS,
      absWorkingDir: project.root,
      entryPoints: [fn.entryFile],
      outfile: path.join(project.root, "bundle.js"),
      sourcemap: false,
      metafile: true,
      plugins: [projectImports({ root: project.root, functionsDir: project.functionsDir, fn, scan: true })],
    });
    inputs = Object.keys((result.metafile as Metafile).inputs)
      .filter((input) => !input.includes(":"))
      .map((input) => path.resolve(project.root, input));
  } catch {
    inputs = [fn.entryFile];
  }
  const files: Record<string, string> = {};
  for (const file of inputs.sort()) {
    const role = fileRole(project.root, project.functionsDir, fn, file);
    if (role.role === "own" || role.role === "shared") files[role.key] = await readFile(file, "utf8");
  }
  return files;
}
