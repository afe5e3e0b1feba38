// The local server of `backend dev`: the same platform `backend start` runs (embedded SQLite in
// ./.backend unless told otherwise), in this process, so that its execution logs can be printed as
// they happen. The admin key is BACKEND_ADMIN_KEY or one made for this session. Its clock can be set
// (`--clock`, `backend clock`), so a schedule can be watched firing without waiting for it.
import { ShiftedClock } from "../../core/clock.js";
import { newSecret } from "../../core/ids.js";
import { ConfigError, loadConfig } from "../../config/config.js";
import type { Platform } from "../../platform.js";
import { CliError } from "../apiClient.js";
import { devLogger } from "./devLogger.js";
import type { Terminal } from "./terminal.js";

export interface DevServerOptions {
  root: string;
  port?: string;
  host?: string;
  data?: string;
  /** An ISO-8601 date-time the clock starts at (it runs on from there); the real time by default. */
  clock?: string;
}

export interface DevServer {
  platform: Platform;
  url: string;
  adminKey: string;
  /** True when the key was made for this session (not from BACKEND_ADMIN_KEY). */
  sessionKey: boolean;
  clock: ShiftedClock;
}

export async function startDevServer(options: DevServerOptions, terminal: Terminal): Promise<DevServer> {
  const clock = new ShiftedClock();
  if (options.clock !== undefined) clock.set(startOf(options.clock));
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({
      cwd: options.root,
      flags: { port: options.port, host: options.host, dataDir: options.data },
    });
  } catch (error) {
    throw new CliError(error instanceof ConfigError ? error.message : String(error));
  }
  // Local work never touches a shared database, even with DATABASE_URL set for something else.
  delete config.databaseUrl;
  const sessionKey = config.adminKey === undefined;
  const adminKey = config.adminKey ?? newSecret("bk_dev_");
  config.adminKey = adminKey;

  let platform: Platform;
  try {
    // Loaded here, not at the top: every other command starts without the server's modules.
    const { createPlatform } = await import("../../platform.js");
    platform = await createPlatform(config, { clock, log: devLogger(terminal) });
  } catch (error) {
    throw new CliError(`Could not open the local database in ${config.dataDir}: ${(error as Error).message}`);
  }
  try {
    // Starting at another time is a jump: the stored schedules count from it, not from when they
    // were last looked at (see src/schedules/retimeSchedules.ts).
    if (options.clock !== undefined) {
      const { retimeSchedules } = await import("../../schedules/retimeSchedules.js");
      await retimeSchedules(platform.deps.db, clock.now());
    }
    const url = await platform.listen();
    return { platform, url, adminKey, sessionKey, clock };
  } catch (error) {
    await platform.close().catch(() => {});
    const inUse = (error as { code?: string }).code === "EADDRINUSE";
    throw new CliError(
      inUse
        ? `Port ${config.port} is in use (another 'backend dev' or 'backend start'?). Stop it, or pass --port <n> (--port 0 picks a free one).`
        : `Could not listen on ${config.host}:${config.port}: ${(error as Error).message}`,
    );
  }
}

/** `--clock 2027-01-04T08:59:50Z`: an instant (without an offset, in this machine's time zone). */
function startOf(text: string): Date {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw new CliError(
      `--clock must be a date-time such as 2027-01-04T08:59:50Z or 2027-01-04T09:00+01:00, not '${text}'`,
    );
  }
  return new Date(ms);
}
