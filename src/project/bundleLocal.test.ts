// Bundling on the developer's machine (no server needed): what may be imported, what is refused and
// how, and the source map the runtime maps stacks with.
import { SourceMap } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { evaluateBundle } from "../functions/deploy/testing/evaluateBundle.js";
import { bundleLocal } from "./bundleLocal.js";
import { loadProject } from "./loadProject.js";
import { type TempProject, tempProject } from "./testing/tempProject.js";

let project: TempProject | undefined;
afterEach(() => project?.remove());

async function bundle(files: Record<string, string>, name: string) {
  project = tempProject(files);
  const loaded = await loadProject(project.root);
  const fn = loaded.functions.find((f) => f.name === name)!;
  return bundleLocal(loaded, fn);
}

const TINY_PACKAGE = {
  "node_modules/tiny-case/package.json": '{ "name": "tiny-case", "version": "1.0.0", "main": "index.js" }\n',
  "node_modules/tiny-case/index.js": "exports.title = (s) => s.charAt(0).toUpperCase() + s.slice(1);\n",
};

describe("bundleLocal", () => {
  it("bundles TypeScript with _shared/ helpers, a package of the project and `backend`", async () => {
    const out = await bundle(
      {
        ...TINY_PACKAGE,
        "functions/greet/entry.ts": [
          'import { title } from "tiny-case";',
          'import { backend } from "backend";',
          'import { exclaim } from "../_shared/exclaim.ts";',
          "export default (event: { name: string }) => exclaim(title(event.name)) + backend.marker;",
          "",
        ].join("\n"),
        "functions/_shared/exclaim.ts": "export const exclaim = (s: string): string => `${s}!`;\n",
      },
      "greet",
    );
    expect(out.form).toBe("default");
    const { module } = evaluateBundle(out.code);
    expect((module.default as (e: unknown) => string)({ name: "ada" })).toBe("Ada!backend-global");
    const map = JSON.parse(out.sourceMap) as { sources: string[]; sourcesContent?: unknown };
    expect(map.sources).toEqual(
      expect.arrayContaining([
        "functions/greet/entry.ts",
        "functions/_shared/exclaim.ts",
        "node_modules/tiny-case/index.js",
      ]),
    );
    expect(map.sourcesContent).toBeUndefined();
  });

  it("maps a position in the bundle back to the line of entry.ts", async () => {
    const out = await bundle(
      {
        "functions/boom/entry.ts":
          "type T = { a: number };\n\nexport default () => {\n  throw new Error('x');\n};\n",
      },
      "boom",
    );
    const lines = out.code.split("\n");
    const line = lines.findIndex((l) => l.includes("throw new Error"));
    const entry = new SourceMap(JSON.parse(out.sourceMap)).findEntry(line, lines[line]!.indexOf("throw")) as {
      originalSource: string;
      originalLine: number;
    };
    expect([entry.originalSource, entry.originalLine + 1]).toEqual(["functions/boom/entry.ts", 4]);
  });

  it("gives a classic script its default export, as the server does", async () => {
    const out = await bundle({ "functions/tick.js": "function tick() { return 'tock'; }\n" }, "tick");
    expect(out.form).toBe("classic");
    expect((evaluateBundle(out.code).module.default as () => string)()).toBe("tock");
  });

  it("refuses a Node built-in, naming the import and the importing file and line", async () => {
    await expect(
      bundle(
        {
          "functions/reader/entry.ts":
            '// reads\nimport { readFileSync } from "fs";\nexport default () => readFileSync;\n',
        },
        "reader",
      ),
    ).rejects.toMatchObject({
      message:
        "functions/reader/entry.ts:2: imports 'fs', a Node built-in; functions run in a sandbox without Node APIs",
      file: "functions/reader/entry.ts",
      line: 2,
    });
    await expect(
      bundle(
        {
          "functions/deep/entry.ts": 'import "tiny-node";\nexport default () => 1;\n',
          "node_modules/tiny-node/package.json": '{ "name": "tiny-node", "main": "index.js" }\n',
          "node_modules/tiny-node/index.js": 'require("node:child_process");\n',
        },
        "deep",
      ),
    ).rejects.toThrow(/^node_modules\/tiny-node\/index\.js:1: imports 'node:child_process', a Node built-in/);
  });

  it("refuses files outside the project, another function's files and missing packages", async () => {
    const outside = tempProject({ "shared.ts": "export default 1;\n" });
    try {
      const spec = path.relative(
        path.join(tmpdir(), "x", "functions", "out"),
        path.join(outside.root, "shared.ts"),
      );
      const importIt = `import x from "${spec}";\nexport default x;\n`;
      await expect(bundle({ "functions/out/entry.ts": importIt }, "out")).rejects.toThrow(
        `functions/out/entry.ts:1: imports '${spec}', which is outside the project (${outside.root}/shared.ts)`,
      );
    } finally {
      outside.remove();
    }
    await expect(
      bundle(
        {
          "functions/a/entry.ts": 'import { b } from "../b/lib.ts";\nexport default b;\n',
          "functions/b/entry.ts": "export default 1;\n",
          "functions/b/lib.ts": "export const b = 1;\n",
        },
        "a",
      ),
    ).rejects.toThrow(
      "functions/a/entry.ts:1: imports '../b/lib.ts' (functions/b/lib.ts), which is not this function's file; " +
        "move code that functions share to functions/_shared/",
    );
    await expect(
      bundle({ "functions/p/entry.ts": 'import _ from "lodash-not-here";\nexport default _;\n' }, "p"),
    ).rejects.toThrow(
      /^functions\/p\/entry\.ts:1: imports 'lodash-not-here', a package that is not installed/,
    );
  });
});
