// `backend dev [--port] [--data] [--poll] [--clock]`: the local loop of app development. Runs a server
// on embedded SQLite in this process, deploys the project's functions, redeploys a function within a
// second of saving it, and prints every execution's log lines (time, level, function) and how it
// ended, errors with their source-mapped stack, until Ctrl-C. Its clock can be set (`--clock`,
// `backend clock`) to watch schedules fire; it says so whenever it is not the real time.
import { existsSync, mkdirSync, watch } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import type { ShiftedClock } from "../core/clock.js";
import { CliError } from "./apiClient.js";
import { startDevServer } from "./dev/devServer.js";
import { DevDeployer } from "./dev/devDeploy.js";
import { printExecutions } from "./dev/executionLogs.js";
import { createTerminal } from "./dev/terminal.js";
import { watchFolder } from "./dev/watchFolder.js";
import { exitOnSignals } from "./onShutdown.js";

interface DevFlags {
  port?: string;
  host?: string;
  data?: string;
  poll?: boolean;
  clock?: string;
}

export function devCommand(): Command {
  return new Command("dev")
    .description(
      "run this project locally: a server on embedded SQLite, functions deployed and redeployed on save, every execution's logs printed",
    )
    .option("-p, --port <port>", "port to listen on (default 8787; 0 picks a free one)")
    .option("--host <host>", "address to bind (default 127.0.0.1)")
    .option("-d, --data <dir>", "data folder (default ./.backend)")
    .option("--poll", "notice changes by polling, where file change events do not arrive (network drives)")
    .option(
      "--clock <date-time>",
      "start the server's clock at this instant, to try schedules (see 'backend clock'); time runs on from there",
    )
    .addHelpText(
      "after",
      `
The admin key is BACKEND_ADMIN_KEY, or one made for this session and printed at the start.
Server settings come from the "server" section of backend.config.jsonc, as for 'backend start'.`,
    )
    .action(async (flags: DevFlags) => {
      await runDev(flags);
    });
}

async function runDev(flags: DevFlags): Promise<void> {
  const root = process.cwd();
  // Not in a project (a typo'd cd): say so, rather than make a database and a functions folder here.
  if (!existsSync(path.join(root, "backend.config.jsonc")) && !existsSync(path.join(root, "functions"))) {
    throw new CliError(
      `${root} is not a backend project (it has no backend.config.jsonc or functions/). Run 'backend dev' in your project's folder, or create one with 'backend init'.`,
    );
  }
  const terminal = createTerminal();
  const server = await startDevServer(
    { root, port: flags.port, host: flags.host, data: flags.data, clock: flags.clock },
    terminal,
  );
  const { platform, url, adminKey, clock } = server;
  const stopLogs = printExecutions(platform.deps, terminal);
  const deployer = new DevDeployer(root, { url, adminKey }, terminal);
  // `backend clock set|advance|reset` from another terminal shows here.
  const stopClock = clock.onJump(() => terminal.line("DEV", "", clockText(clock)));
  const closers: (() => void)[] = [stopLogs, stopClock];

  let stopping = false;
  exitOnSignals(
    async () => {
      stopping = true;
      for (const close of closers) close();
      await platform.close();
    },
    (signal) => terminal.line("DEV", "", `${signal}: stopping`),
  );

  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`backend dev: data in ${platform.store.location}`);
  out(`listening on ${url}`);
  out(
    server.sessionKey
      ? `admin key for this session: BACKEND_ADMIN_KEY=${adminKey}`
      : "admin key: the one in BACKEND_ADMIN_KEY",
  );
  out(`from another terminal: BACKEND_URL=${url} BACKEND_ADMIN_KEY=<key> backend functions invoke <name>`);
  if (clock.offset !== 0) out(clockText(clock));

  await deployer.deployAll();
  if (stopping) return;
  const functionsDir = deployer.functionsDir;
  mkdirSync(functionsDir, { recursive: true });
  const watcher = watchFolder(functionsDir, (files) => void deployer.filesChanged(files), {
    poll: flags.poll === true,
    onFallback: (reason) =>
      terminal.line(
        "WARN",
        "",
        `file change events are unavailable (${reason}); checking for changes twice a second`,
      ),
  });
  closers.push(() => watcher.close());
  // The project config sits outside the functions folder; a change to it can move every function.
  const configFile = path.join(root, "backend.config.jsonc");
  let configTimer: NodeJS.Timeout | undefined;
  const configWatcher = watch(root, (_event, filename) => {
    if (filename?.toString() !== path.basename(configFile)) return;
    clearTimeout(configTimer);
    configTimer = setTimeout(() => void deployer.filesChanged([configFile]), 100);
  });
  closers.push(() => {
    clearTimeout(configTimer);
    configWatcher.close();
  });
  terminal.line(
    "DEV",
    "",
    `watching ${path.relative(root, functionsDir) || "."}/ for changes (Ctrl-C to stop)`,
  );
}

/** "clock: 2027-01-04T08:59:50Z, not the real time ('backend clock reset' goes back)" */
function clockText(clock: ShiftedClock): string {
  const now = new Date(Math.floor(clock.now().getTime() / 1000) * 1000).toISOString().replace(".000Z", "Z");
  if (clock.offset === 0) return `clock: the real time again, ${now}`;
  return `clock: ${now}, not the real time ('backend clock reset' goes back)`;
}
