// What domain functions receive: the database, the clock, config, logging and the shared services.
// Built once by createPlatform (src/platform.ts); tests build it the same way.
import type { Logger } from "pino";
import type { RealtimeFanout } from "./channels/envelope.js";
import type { Config } from "./config/config.js";
import type { Clock } from "./core/clock.js";
import type { EmailService } from "./email/emailService.js";
import type { ActionPipeline } from "./events/pipeline.js";
import type { ExecutionWriter } from "./functions/executions/executionWriter.js";
import type { FunctionRuntime } from "./functions/runtime/functionRuntime.js";
import type { Db } from "./storage/schema.js";
import type { DialectName } from "./storage/store.js";

export interface Deps {
  config: Config;
  db: Db;
  dialect: DialectName;
  clock: Clock;
  log: Logger;
  pipeline: ActionPipeline;
  email: EmailService;
  adminKeyDigest: string;
  /** Stores executions and their log lines, many runs per transaction. */
  executions: ExecutionWriter;
  /** Runs functions in sandbox worker processes. */
  runtime: FunctionRuntime;
  /** This node's POST event dispatcher: `wake()` after committing deliveries makes it look now. */
  dispatcher: { wake(): void };
  /** This node's scheduler: `wake()` after a schedule changed makes it look at the next runs now. */
  scheduler: { wake(): void };
  /** Channel messages, presence and record changes to this node's WebSocket clients and to other nodes'. */
  realtime: RealtimeFanout;
  /** 32-byte AES-256-GCM key for secrets at rest. */
  secretsKey: Buffer;
}
