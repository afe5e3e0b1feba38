// The peers of `npm run bench -- --peers`: the same hello answer served by other JavaScript
// runtimes, measured with the same wrk settings in the same run as bare node:http and the backend.
//   - workerd (Cloudflare Workers' runtime): a minimal capnp config, one ES module worker;
//   - deno: `Deno.serve`, when the `deno` npm package's binary runs on this machine.
// Both come from the npm registry, installed into a cache outside the project's dependencies
// (BENCH_PEERS_CACHE, default ~/.cache/backend-bench/peers), never into package.json or the
// lockfile. A peer that cannot be installed or started is reported with the reason, and the run goes on.
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { spawnServer } from "./spawnServer.js";

export const PEERS_CACHE =
  process.env.BENCH_PEERS_CACHE ?? path.join(os.homedir(), ".cache", "backend-bench", "peers");
const PEER_PACKAGES = ["workerd", "deno"];
/** Seconds the install may take (two packages of ~100 MB each on a cold cache). */
export const PEERS_INSTALL_SECONDS = 300;

const run = promisify(execFile);
const HELLO_BODY = '{"hello":"world"}';

const WORKER = `export default {
  fetch() {
    return new Response(${JSON.stringify(HELLO_BODY)}, { headers: { "content-type": "application/json" } });
  },
};
`;

const workerdConfig = (port) => `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .hello)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);

const hello :Workerd.Worker = (
  modules = [(name = "hello.js", esModule = embed "hello.js")],
  compatibilityDate = "2024-01-01",
);
`;

const DENO_SERVER = `const body = ${JSON.stringify(HELLO_BODY)};
Deno.serve(
  {
    hostname: "127.0.0.1",
    port: 0,
    onListen: ({ hostname, port }) => console.log(\`listening on http://\${hostname}:\${port}\`),
  },
  () => new Response(body, { headers: { "content-type": "application/json" } }),
);
`;

const binary = (name) => path.join(PEERS_CACHE, "node_modules", ".bin", name);

/**
 * Installs the peers into the cache (`npm install --prefix`; packages already there are kept at
 * their version). Answers each peer's binary and version, or why it is missing.
 * @returns {Promise<Record<string, { bin?: string, version?: string, error?: string }>>}
 */
export async function installPeers(log) {
  mkdirSync(PEERS_CACHE, { recursive: true });
  const manifest = path.join(PEERS_CACHE, "package.json");
  if (!existsSync(manifest)) {
    writeFileSync(manifest, `${JSON.stringify({ name: "backend-bench-peers", private: true }, null, 2)}\n`);
  }
  const missing = PEER_PACKAGES.filter((name) => !existsSync(binary(name)));
  let installError;
  if (missing.length > 0) {
    log(`peers: npm install --prefix ${PEERS_CACHE} ${missing.join(" ")}`);
    try {
      // The binaries come in platform packages (optional dependencies); the packages' install scripts
      // put them in place of the node shims (without them, deno runs behind a node process).
      await run("npm", ["install", "--prefix", PEERS_CACHE, "--no-audit", "--no-fund", ...missing], {
        timeout: PEERS_INSTALL_SECONDS * 1000,
        maxBuffer: 10 * 1024 * 1024,
      });
    } catch (error) {
      // npm's first error lines say what went wrong (code, then the reason); the rest is advice.
      const said = `${error.stderr || error.message}`
        .split("\n")
        .map((l) => l.replace(/^npm error\s*/, "").trim())
        .filter((l) => l && !/complete log|proxy|npm help|^(syscall|errno|at) /i.test(l));
      installError = `npm install failed: ${said.slice(0, 3).join("; ") || error.message}`;
    }
  }
  const peers = {};
  for (const name of PEER_PACKAGES) {
    const bin = binary(name);
    if (!existsSync(bin)) {
      peers[name] = { error: installError ?? `${bin} is missing after the install` };
      continue;
    }
    try {
      const { stdout } = await run(bin, ["--version"], { timeout: 30_000 });
      peers[name] = { bin, version: stdout.trim().split("\n")[0] };
    } catch (error) {
      // The package installed but its binary does not run here (another libc, another CPU).
      peers[name] = { error: `its binary does not run here: ${(error.stderr || error.message).trim()}` };
    }
  }
  return peers;
}

/** A free port on 127.0.0.1 (workerd takes its address from the config, not from port 0). */
async function freePort() {
  const server = net.createServer();
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts workerd serving the hello worker; answers like spawnServer once the hello answers. */
async function startWorkerd(bin, dir, register) {
  const port = await freePort();
  writeFileSync(path.join(dir, "hello.js"), WORKER);
  writeFileSync(path.join(dir, "config.capnp"), workerdConfig(port));
  const child = spawn(bin, ["serve", path.join(dir, "config.capnp")], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout.on("data", (c) => (text = (text + c).slice(-20_000)));
  child.stderr.on("data", (c) => (text = (text + c).slice(-20_000)));
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(killer);
  };
  register(stop);
  const url = `http://127.0.0.1:${port}`;
  // workerd prints nothing when it listens: ask until the hello answers (30 s at most).
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `workerd exited (${child.exitCode ?? child.signalCode}) before listening: ${text.trim()}`,
      );
    }
    try {
      const answer = await fetch(url);
      if ((await answer.text()) === HELLO_BODY) return { url, pid: child.pid, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`workerd did not answer on ${url} within 30 s: ${text.trim()}`);
}

/** Starts deno serving the hello; it prints `listening on http://...`, as the other servers do. */
async function startDeno(bin, dir, register) {
  const file = path.join(dir, "hello.ts");
  writeFileSync(file, DENO_SERVER);
  const env = {
    ...process.env,
    DENO_DIR: path.join(PEERS_CACHE, "deno-dir"),
    DENO_NO_UPDATE_CHECK: "1",
    NO_COLOR: "1",
  };
  return spawnServer(bin, ["run", "--allow-net=127.0.0.1", "--quiet", file], { env, cwd: dir, register });
}

/** Starts a peer's hello server; answers { url, pid, stop }. */
export async function startPeer(name, bin, dir, register) {
  mkdirSync(dir, { recursive: true });
  if (name === "workerd") return startWorkerd(bin, dir, register);
  if (name === "deno") return startDeno(bin, dir, register);
  throw new Error(`unknown peer ${name}`);
}
