// The local server of `backend dev`: the same platform `backend start` runs (embedded SQLite in
// ./.backend unless told otherwise), in this process, so that its execution logs can be printed as
// they happen. The admin key is BACKEND_ADMIN_KEY or one made for this session.
import { newSecret } from "../../core/ids.js";
import { ConfigError, loadConfig } from "../../config/config.js";
import { createPlatform, type Platform } from "../../platform.js";
import { CliError } from "../apiClient.js";
import { devLogger } from "./devLogger.js";
import type { Terminal } from "./terminal.js";

export interface DevServerOptions {
  root: string;
  port?: string;
  host?: string;
  data?: string;
}

export interface DevServer {
  platform: Platform;
  url: string;
  adminKey: string;
  /** True when the key was made for this session (not from BACKEND_ADMIN_KEY). */
  sessionKey: boolean;
}

export async function startDevServer(options: DevServerOptions, terminal: Terminal): Promise<DevServer> {
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
    platform = await createPlatform(config, { log: devLogger(terminal) });
  } catch (error) {
    throw new CliError(`Could not open the local database in ${config.dataDir}: ${(error as Error).message}`);
  }
  try {
    const url = await platform.listen();
    return { platform, url, adminKey, sessionKey };
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
