// The one config loader: defaults <- backend.config.jsonc <- environment <- command-line flags.
// Every setting is validated here, so the rest of the code can trust a Config.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { type ParseError, parse, printParseErrorCode } from "jsonc-parser";
import { z } from "zod";
import { isTimeZone } from "../core/timeZone.js";

export const configSchema = z
  .object({
    host: z.string().min(1).default("127.0.0.1"),
    port: z.coerce.number().int().min(0).max(65535).default(8787),
    /** Folder for the embedded SQLite database and local keys. */
    dataDir: z.string().min(1).default("./.backend"),
    /** `postgres://...` selects PostgreSQL; otherwise embedded SQLite. */
    databaseUrl: z.string().url().optional(),
    /** Admin key; generated on first start (and printed once) when absent. */
    adminKey: z.string().min(16, "the admin key must be at least 16 characters").optional(),
    /** Public base URL used in links sent by email; defaults to the listening address. */
    publicUrl: z.string().url().optional(),
    /** `smtp://user:pass@host:port` or `smtps://...`; otherwise the development transport stores and logs. */
    smtpUrl: z.string().optional(),
    emailFrom: z.string().min(3).default("backend <no-reply@localhost>"),
    logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /** Origins allowed to call /api from a browser; "*" (the default) allows any: auth is by bearer token, not cookies. */
    corsOrigins: z.array(z.string().min(1)).default(["*"]),
    /** Largest accepted request body in bytes. */
    bodyLimit: z.coerce
      .number()
      .int()
      .positive()
      .default(1024 * 1024),
    sessionTtlHours: z.coerce
      .number()
      .positive()
      .default(24 * 30),
    resetTokenTtlMinutes: z.coerce.number().positive().default(60),
    loginRateLimit: z
      .object({
        max: z.coerce.number().int().positive().default(10),
        windowMs: z.coerce.number().int().positive().default(60_000),
      })
      .default({ max: 10, windowMs: 60_000 }),
    /** 32-byte key (base64 or hex) for secrets at rest; otherwise a key file in the data folder. */
    secretsKey: z.string().min(1).optional(),
    functions: z
      .object({
        /** Sandbox worker processes. */
        workers: z.coerce.number().int().min(1).max(64).default(2),
        /** Wall time of a call / HTTP run, and of an event handler. */
        callTimeoutMs: z.coerce.number().int().positive().max(300_000).default(30_000),
        eventTimeoutMs: z.coerce.number().int().positive().max(300_000).default(10_000),
        /** Upper bound for a function's own `timeout`. */
        maxTimeoutMs: z.coerce.number().int().positive().max(300_000).default(300_000),
        memoryMb: z.coerce.number().int().min(8).max(4096).default(128),
        payloadBytes: z.coerce
          .number()
          .int()
          .positive()
          .default(1024 * 1024),
        logBytes: z.coerce
          .number()
          .int()
          .positive()
          .default(256 * 1024),
        /** Bytes of each execution's input and result kept for its detail (JSON, cut past this); 0 keeps none. */
        keepBytes: z.coerce
          .number()
          .int()
          .min(0)
          .default(8 * 1024),
        maxFunctions: z.coerce.number().int().positive().default(50),
        /** A worker is replaced after this many executions, or when its memory passes the mark. */
        recycleAfter: z.coerce.number().int().positive().default(50_000),
        workerMaxRssMb: z.coerce.number().int().positive().default(1536),
        /** A warm isolate unused this long is disposed. */
        idleEvictMs: z.coerce
          .number()
          .int()
          .positive()
          .default(5 * 60_000),
        /** Warm isolates kept per sandbox worker at most (least recently used go first). */
        maxWarmIsolates: z.coerce.number().int().positive().default(200),
        fetch: z
          .object({
            /** Hosts, IPs or CIDRs that outbound fetch may reach even though they are private. */
            allow: z.array(z.string()).default([]),
            timeoutMs: z.coerce.number().int().positive().default(15_000),
            maxResponseBytes: z.coerce
              .number()
              .int()
              .positive()
              .default(10 * 1024 * 1024),
          })
          .default({ allow: [], timeoutMs: 15_000, maxResponseBytes: 10 * 1024 * 1024 }),
      })
      .default({
        workers: 2,
        callTimeoutMs: 30_000,
        eventTimeoutMs: 10_000,
        maxTimeoutMs: 300_000,
        memoryMb: 128,
        payloadBytes: 1024 * 1024,
        logBytes: 256 * 1024,
        keepBytes: 8 * 1024,
        maxFunctions: 50,
        recycleAfter: 50_000,
        workerMaxRssMb: 1536,
        idleEvictMs: 5 * 60_000,
        maxWarmIsolates: 200,
        fetch: { allow: [], timeoutMs: 15_000, maxResponseBytes: 10 * 1024 * 1024 },
      }),
    events: z
      .object({
        /** Subscriptions one event type may have. */
        maxSubscriptionsPerEvent: z.coerce.number().int().positive().max(1000).default(10),
        /** Events caused by handlers of events may chain this deep; deeper is a loop and is stopped. */
        maxDepth: z.coerce.number().int().min(1).max(100).default(8),
        /** Largest custom event payload (JSON bytes). */
        payloadBytes: z.coerce
          .number()
          .int()
          .positive()
          .default(1024 * 1024),
        /** Attempts per delivery before it is dead-lettered. */
        maxAttempts: z.coerce.number().int().min(1).max(100).default(6),
        /** The first retry waits about this long, then twice as long each time (with jitter), at most retryMaxMs. */
        retryBaseMs: z.coerce.number().int().positive().default(2000),
        retryMaxMs: z.coerce.number().int().positive().default(3_600_000),
        /** Whether this node runs deliveries (an API-only node can leave it to others). */
        dispatch: z.boolean().default(true),
        /** Deliveries run at once on this node. */
        concurrency: z.coerce.number().int().min(1).max(1000).default(64),
        /** A node holds a running delivery this long, renewing while it runs; a dead node's runs are retried after it. */
        leaseMs: z.coerce.number().int().min(500).default(30_000),
        /** Looks for due deliveries (retries, other nodes' events) this often besides wake-ups. */
        pollMs: z.coerce.number().int().positive().default(1000),
        /** Done deliveries and their events are deleted after this many hours; dead ones after deadRetentionHours. */
        retentionHours: z.coerce
          .number()
          .positive()
          .default(24 * 7),
        deadRetentionHours: z.coerce
          .number()
          .positive()
          .default(24 * 30),
      })
      .default({
        maxSubscriptionsPerEvent: 10,
        maxDepth: 8,
        payloadBytes: 1024 * 1024,
        maxAttempts: 6,
        retryBaseMs: 2000,
        retryMaxMs: 3_600_000,
        dispatch: true,
        concurrency: 64,
        leaseMs: 30_000,
        pollMs: 1000,
        retentionHours: 24 * 7,
        deadRetentionHours: 24 * 30,
      }),
    schedules: z
      .object({
        /** Whether this node runs due ticks (an API-only node can leave it to others). */
        run: z.boolean().default(true),
        /** The time zone of a schedule that names none (IANA). */
        timezone: z
          .string()
          .refine(isTimeZone, { error: "is not an IANA time zone such as Europe/Paris or UTC" })
          .default("UTC"),
        /** Ticks run at once on this node; more wait (or go to other nodes). */
        concurrency: z.coerce.number().int().min(1).max(1000).default(64),
        /** A node holds a running tick this long, renewing while it runs; after a crash the tick is marked interrupted. */
        leaseMs: z.coerce.number().int().min(500).default(30_000),
        /** Looks for schedules changed elsewhere this often; ticks known in advance run on their own timers. */
        pollMs: z.coerce.number().int().positive().default(1000),
        /** A tick this late (the node was down) is missed and follows the schedule's catch_up policy. */
        missedAfterMs: z.coerce.number().int().min(1000).default(60_000),
        /** catch_up "all" runs at most this many missed ticks of one schedule. */
        maxCatchUp: z.coerce.number().int().min(1).max(10_000).default(100),
        /** Ticks (history) are deleted after this many hours. */
        historyHours: z.coerce
          .number()
          .positive()
          .default(24 * 30),
      })
      .default({
        run: true,
        timezone: "UTC",
        concurrency: 64,
        leaseMs: 30_000,
        pollMs: 1000,
        missedAfterMs: 60_000,
        maxCatchUp: 100,
        historyHours: 24 * 30,
      }),
    channels: z
      .object({
        /**
         * Who may join, send and see presence, by channel name; the first rule whose pattern matches
         * decides. `*` matches any run of characters; `{user.id}` matches the signed-in user's id only.
         */
        rules: z
          .array(
            z
              .object({
                pattern: z.string().min(1).max(200),
                /** public: anyone, even signed out; users: signed-in users; private: admins, `{user.id}`, or a PRE_CHANNEL_JOIN handler's grant. */
                join: z.enum(["public", "users", "private"]).default("users"),
                /** members: whoever joined (signed in); admin: only admins, functions and servers. */
                send: z.enum(["members", "admin"]).default("members"),
                /** Whether members may see who else is in the channel. */
                presence: z.boolean().default(false),
              })
              .strict(),
          )
          .default([]),
        /** Largest frame a client may send, in bytes (a message is at most this, less its envelope). */
        maxFrameBytes: z.coerce
          .number()
          .int()
          .min(256)
          .max(16 * 1024 * 1024)
          .default(64 * 1024),
        /** Frames per second a connection may send, on average, and in a burst. */
        framesPerSecond: z.coerce.number().positive().default(50),
        burstFrames: z.coerce.number().int().positive().default(100),
        /** A connection that keeps flooding (this many refused frames in a row) is closed. */
        floodLimit: z.coerce.number().int().positive().default(50),
        /** WebSocket connections one node holds at most; more are refused (503) so another node takes them. */
        maxConnections: z.coerce.number().int().positive().default(20_000),
        maxChannelsPerConnection: z.coerce.number().int().positive().default(100),
        maxSubscriptionsPerConnection: z.coerce.number().int().positive().default(100),
        /** WebSocket pings this often; a client that misses one is dropped. Sessions are re-checked as often. */
        heartbeatMs: z.coerce.number().int().min(100).default(30_000),
        /** A connection in no channel and no record feed for this long is closed. */
        idleMs: z.coerce
          .number()
          .int()
          .min(100)
          .default(5 * 60_000),
      })
      .strict()
      .default({
        rules: [],
        maxFrameBytes: 64 * 1024,
        framesPerSecond: 50,
        burstFrames: 100,
        floodLimit: 50,
        maxConnections: 20_000,
        maxChannelsPerConnection: 100,
        maxSubscriptionsPerConnection: 100,
        heartbeatMs: 30_000,
        idleMs: 5 * 60_000,
      }),
    email: z
      .object({
        maxAttempts: z.coerce.number().int().positive().default(6),
        pollMs: z.coerce.number().int().positive().default(1000),
      })
      .default({ maxAttempts: 6, pollMs: 1000 }),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

export class ConfigError extends Error {}

const CONFIG_FILE = "backend.config.jsonc";

/** Environment variables the server reads, and the setting each one fills. */
const ENV: Record<string, keyof Config> = {
  HOST: "host",
  PORT: "port",
  BACKEND_DATA: "dataDir",
  DATABASE_URL: "databaseUrl",
  BACKEND_ADMIN_KEY: "adminKey",
  BACKEND_PUBLIC_URL: "publicUrl",
  SMTP_URL: "smtpUrl",
  EMAIL_FROM: "emailFrom",
  LOG_LEVEL: "logLevel",
  BACKEND_SECRETS_KEY: "secretsKey",
};

export interface LoadConfigOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Values from command-line flags; undefined entries are ignored. */
  flags?: Partial<Record<keyof Config, unknown>>;
  /** Explicit config file; otherwise `backend.config.jsonc` in cwd if present. */
  configFile?: string;
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const file = options.configFile ?? path.join(cwd, CONFIG_FILE);
  const fromFile = existsSync(file) ? readConfigFile(file) : options.configFile ? missing(file) : {};
  // The project file may also hold CLI settings (functions folder, server URL); only `server` is ours.
  const server = (fromFile.server ?? {}) as Record<string, unknown>;

  const fromEnv: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENV)) {
    const value = env[name];
    if (value !== undefined && value !== "") fromEnv[key] = value;
  }
  const fromFlags = Object.fromEntries(
    Object.entries(options.flags ?? {}).filter(([, v]) => v !== undefined),
  );

  const merged = { ...server, ...fromEnv, ...fromFlags };
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join("; ")}`);
  }
  const config = result.data;
  if (config.databaseUrl && !/^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    throw new ConfigError("Invalid configuration: DATABASE_URL must start with postgres:// or postgresql://");
  }
  config.dataDir = path.resolve(cwd, config.dataDir);
  return config;
}

function missing(file: string): never {
  throw new ConfigError(`Config file not found: ${file}`);
}

/** Parses a JSONC file, reporting errors with file, line and column. */
export function readConfigFile(file: string): Record<string, unknown> {
  const text = readFileSync(file, "utf8");
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const first = errors[0]!;
    const { line, column } = lineAndColumn(text, first.offset);
    throw new ConfigError(`${file}:${line}:${column}: ${printParseErrorCode(first.error)}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigError(`${file}:1:1: the file must hold one JSON object`);
  }
  return value as Record<string, unknown>;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}
