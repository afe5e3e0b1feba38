// For tests: a project folder under the OS temp folder, written from a map of path -> content.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface TempProject {
  root: string;
  write(files: Record<string, string>): void;
  remove(): void;
}

export function tempProject(files: Record<string, string> = {}): TempProject {
  const root = mkdtempSync(path.join(tmpdir(), "backend-project-"));
  const write = (more: Record<string, string>) => {
    for (const [file, content] of Object.entries(more)) {
      const full = path.join(root, file);
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
  };
  write(files);
  return { root, write, remove: () => rmSync(root, { recursive: true, force: true }) };
}
