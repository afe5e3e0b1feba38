// `backend start`: serves the HTTP API (and, as features land, channels, dashboard and workers)
// until SIGTERM/SIGINT, then shuts down gracefully.
import { Command, Option } from "commander";
import { ConfigError, loadConfig } from "../config/config.js";
import type { Platform } from "../platform.js";
import { exitOnSignals } from "./onShutdown.js";

interface StartFlags {
  port?: string;
  host?: string;
  data?: string;
  publicUrl?: string;
  logLevel?: string;
  config?: string;
}

export function startCommand(): Command {
  return new Command("start")
    .description("start the server (embedded SQLite, or PostgreSQL when DATABASE_URL is set)")
    .addOption(new Option("-p, --port <port>", "port to listen on (0 picks a free one)").env("PORT"))
    .addOption(new Option("--host <host>", "address to bind").env("HOST"))
    .option("-d, --data <dir>", "data folder for the embedded database (default ./.backend)")
    .option("--public-url <url>", "public base URL used in emailed links")
    .addOption(
      new Option("--log-level <level>", "log level").choices([
        "fatal",
        "error",
        "warn",
        "info",
        "debug",
        "trace",
        "silent",
      ]),
    )
    .option("-c, --config <file>", "config file (default ./backend.config.jsonc if present)")
    .addHelpText(
      "after",
      `
Environment:
  DATABASE_URL         postgres://... selects PostgreSQL (any number of nodes may share it)
  BACKEND_ADMIN_KEY    the admin key (otherwise generated on first start and printed once)
  SMTP_URL             smtp(s)://user:pass@host:port for outgoing email (otherwise logged)
  EMAIL_FROM           sender address for outgoing email
  BACKEND_PUBLIC_URL   public base URL used in emailed links
  BACKEND_SECRETS_KEY  32-byte key (base64 or hex) for secrets at rest; the same on every node with
                       PostgreSQL (otherwise a key file in the data folder)`,
    )
    .action(async (flags: StartFlags) => {
      await runStart(flags);
    });
}

async function runStart(flags: StartFlags): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({
      ...(flags.config ? { configFile: flags.config } : {}),
      flags: {
        port: flags.port,
        host: flags.host,
        dataDir: flags.data,
        publicUrl: flags.publicUrl,
        logLevel: flags.logLevel,
      },
    });
  } catch (error) {
    fail(error instanceof ConfigError ? error.message : String(error));
  }

  let platform: Platform;
  try {
    // Loaded here, not at the top: every other command starts without the server's modules.
    const { createPlatform } = await import("../platform.js");
    platform = await createPlatform(config);
  } catch (error) {
    fail(
      error instanceof ConfigError
        ? error.message
        : `Could not open the database at ${describeStore(config)}: ${(error as Error).message}`,
    );
  }

  let url: string;
  try {
    url = await platform.listen();
  } catch (error) {
    await platform.close().catch(() => {});
    fail(`Could not listen on ${config.host}:${config.port}: ${(error as Error).message}`);
  }

  const out = (line: string) => process.stdout.write(`${line}\n`);
  // Installed before the URL is printed, so a supervisor that signals right away is handled.
  exitOnSignals(
    () => platform.close(),
    (signal) => out(`backend: ${signal} received, finishing in-flight requests`),
  );
  out(`backend: storing data in ${platform.store.location}`);
  if (platform.generatedAdminKey) {
    out(`backend: generated an admin key; it is shown only this once, keep it safe:`);
    out(`  BACKEND_ADMIN_KEY=${platform.generatedAdminKey}`);
  }
  out(`listening on ${url}`);
}

function describeStore(config: { databaseUrl?: string | undefined; dataDir: string }): string {
  if (!config.databaseUrl) return config.dataDir;
  try {
    const url = new URL(config.databaseUrl);
    url.password = url.password ? "***" : "";
    return url.toString();
  } catch {
    return "DATABASE_URL";
  }
}

function fail(message: string): never {
  process.stderr.write(`backend: ${message}\n`);
  process.exit(1);
}
