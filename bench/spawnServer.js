// Starts a server process (the real `backend start`, or the reference hello server), waits for its
// `listening on http://HOST:PORT` line and insists that it listens on 127.0.0.1 only.
import { spawn } from "node:child_process";

const READY = /listening on (http:\/\/\S+)/;

/**
 * `register`, when given, gets `stop` as soon as the process exists, before it is ready.
 * @returns {Promise<{ url: string, pid: number, output: () => string, stop: () => Promise<void> }>}
 */
export function spawnServer(command, args, { env, cwd, timeoutMs = 60_000, register } = {}) {
  const child = spawn(command, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(killer);
  };
  register?.(stop);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${args.join(" ")} did not print its URL within ${timeoutMs} ms:\n${text}`));
    }, timeoutMs);
    const onData = (chunk) => {
      text += chunk.toString();
      if (text.length > 100_000) text = text.slice(-50_000);
      const match = READY.exec(text);
      if (!match) return;
      clearTimeout(timer);
      const url = match[1].replace(/\/$/, "");
      if (new URL(url).hostname !== "127.0.0.1") {
        void stop();
        reject(new Error(`refusing to benchmark ${url}: the bench only targets 127.0.0.1`));
        return;
      }
      child.stdout.off("data", onData);
      child.stderr.off("data", onData);
      // Keep draining the pipes so a chatty server never blocks on a full pipe.
      child.stdout.on("data", (c) => (text += c.toString().slice(0, 2000)));
      child.stderr.on("data", (c) => (text += c.toString().slice(0, 2000)));
      resolve({ url, pid: child.pid, output: () => text, stop });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(" ")} exited (${code}) before listening:\n${text}`));
    });
  });
}
