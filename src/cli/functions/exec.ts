// `backend functions exec <script> [args...]`: runs a local JavaScript or TypeScript script with a
// ready client of the server, signed in with the admin key: a global `backend` (also
// `import { backend } from "backend"`, with `createClient` and the rest of the SDK). Seeding data,
// calling a function in isolation, one-off fixes. The script is bundled with esbuild (its packages
// stay imports, read from the project's node_modules) and run by node; its exit code is ours.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type BuildFailure, build } from "esbuild";
import { Command } from "commander";
import { CliError } from "../apiClient.js";
import { openProject, type ProjectFlags, projectRoot, projectTarget, withProject } from "./projectContext.js";

/** The SDK beside this file once built (dist/cli/functions -> dist/sdk). */
const SDK_ENTRY = fileURLToPath(new URL("../../sdk/index.js", import.meta.url));
const CLIENT_NAMESPACE = "backend-exec";

/** `backend` in a script: the SDK, plus a client made from the environment the CLI passes on. */
const CLIENT_MODULE = `
import { createClient } from ${JSON.stringify(SDK_ENTRY)};
export * from ${JSON.stringify(SDK_ENTRY)};
export const backend = createClient({ url: process.env.BACKEND_URL, token: process.env.BACKEND_ADMIN_KEY, timeoutMs: 0 });
globalThis.backend = backend;
export default backend;
`;

export function execCommand(): Command {
  return withProject(
    new Command("exec")
      .description("run a local .js/.ts script with a `backend` client signed in as the admin")
      .argument("<script>", "the script, e.g. scripts/seed.ts")
      .argument("[args...]", "passed to the script (process.argv.slice(2)); put them after --")
      .allowUnknownOption()
      .addHelpText(
        "after",
        `
In the script, \`backend\` is a global (or: import { backend } from "backend"):
  const { items } = await backend.records.list("orders");
  console.log(await backend.executeFunction("report", { month: "2030-01" }));
Exit codes pass through: process.exit(3) in the script makes 'backend functions exec' exit with 3.`,
      ),
  ).action(async (script: string, args: string[], flags: ProjectFlags) => {
    const file = path.resolve(script);
    if (!existsSync(file)) throw new CliError(`${script} does not exist (looked in ${process.cwd()})`);
    const project = await openProject(flags).catch(() => undefined);
    const target = projectTarget(flags, project);
    if (!target.adminKey) {
      throw new CliError("exec needs the admin key: set BACKEND_ADMIN_KEY or pass --admin-key");
    }
    const root = projectRoot(flags);
    const bundled = await bundleScript(file, root);
    try {
      const code = await run(bundled.file, args, {
        BACKEND_URL: target.url,
        BACKEND_ADMIN_KEY: target.adminKey,
      });
      process.exitCode = code;
    } finally {
      bundled.remove();
    }
  });
}

/**
 * Bundles the script into one ES module. It is written inside the project's node_modules when there
 * is one, so that the script's packages (left as imports) resolve from there as they would beside it.
 */
async function bundleScript(file: string, root: string): Promise<{ file: string; remove: () => void }> {
  const nodeModules = path.join(root, "node_modules");
  const parent = existsSync(nodeModules) ? path.join(nodeModules, ".cache", "backend-exec") : tmpdir();
  mkdirSync(parent, { recursive: true });
  const dir = await mkdtemp(path.join(parent, "exec-"));
  const out = path.join(dir, "script.mjs");
  try {
    await build({
      stdin: {
        // The client first, so the global is there before any of the script runs.
        contents: `import "backend";\nimport ${JSON.stringify(file)};\n`,
        resolveDir: path.dirname(file),
        sourcefile: "exec-entry.js",
      },
      bundle: true,
      outfile: out,
      format: "esm",
      platform: "node",
      target: "node20",
      packages: "external",
      sourcemap: "inline",
      logLevel: "silent",
      banner: {
        js: 'import { createRequire as __backendRequire } from "node:module"; const require = __backendRequire(import.meta.url);',
      },
      plugins: [
        {
          name: "backend-client",
          setup(b) {
            b.onResolve({ filter: /^backend$/ }, () => ({ path: "client", namespace: CLIENT_NAMESPACE }));
            b.onLoad({ filter: /.*/, namespace: CLIENT_NAMESPACE }, () => ({
              contents: CLIENT_MODULE,
              loader: "js",
              resolveDir: path.dirname(SDK_ENTRY),
            }));
          },
        },
      ],
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const failure = error as BuildFailure;
    if (!Array.isArray(failure.errors)) throw error;
    const lines = failure.errors.map((e) =>
      e.location ? `${e.location.file}:${e.location.line}:${e.location.column + 1}: ${e.text}` : e.text,
    );
    throw new CliError(`${path.relative(process.cwd(), file) || file} does not build:\n${lines.join("\n")}`);
  }
  return { file: out, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the bundle with node, passing signals on; resolves with its exit code. */
function run(file: string, args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--enable-source-maps", file, ...args], {
      stdio: "inherit",
      env: { ...process.env, ...env },
    });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(code ?? (signal === "SIGINT" ? 130 : 1));
    });
  });
}
