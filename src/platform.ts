// The composition root: opens the store, migrates, sets up the admin key and services, builds the
// HTTP server. `backend start`, `backend dev` and every test start the platform through here.
import type { Logger } from "pino";
import { setupAdminKey } from "./auth/adminKey.js";
import type { Config } from "./config/config.js";
import { type Clock, systemClock } from "./core/clock.js";
import type { Deps } from "./deps.js";
import { Realtime } from "./channels/realtime.js";
import { EmailService } from "./email/emailService.js";
import { Dispatcher } from "./events/dispatch/dispatcher.js";
import { eventSeams } from "./events/eventSeams.js";
import { ActionPipeline } from "./events/pipeline.js";
import { ExecutionWriter } from "./functions/executions/executionWriter.js";
import { FunctionRuntime } from "./functions/runtime/functionRuntime.js";
import { loadSecretsKey } from "./functions/secrets/secretsKey.js";
import { createLogger } from "./logger.js";
import { type App, buildServer } from "./server/app.js";
import { Scheduler } from "./schedules/scheduler/scheduler.js";
import { migrate } from "./storage/migrate.js";
import { openStore, type Store } from "./storage/store.js";

/** How long a shutdown waits for requests in flight before closing their connections. */
const SHUTDOWN_GRACE_MS = 10_000;

export interface PlatformOptions {
  clock?: Clock;
  log?: Logger;
}

export interface Platform {
  deps: Deps;
  store: Store;
  server: App;
  realtime: Realtime;
  /** Set when this start generated the admin key; shown to the operator once. */
  generatedAdminKey?: string;
  /** Starts listening and the background workers; resolves with the base URL. */
  listen(): Promise<string>;
  /** Stops accepting requests, finishes in-flight ones, stops workers, closes the database. */
  close(): Promise<void>;
}

export async function createPlatform(config: Config, options: PlatformOptions = {}): Promise<Platform> {
  const log = options.log ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const store = openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(store);
    const adminKey = await setupAdminKey(store.db, config.adminKey, clock);
    const email = new EmailService({ db: store.db, dialect: store.dialect, clock, config, log });
    if (config.databaseUrl && !config.secretsKey) {
      log.warn(
        "secrets are encrypted with this node's key file; with several nodes set the same BACKEND_SECRETS_KEY on each",
      );
    }
    const runtime = new FunctionRuntime({
      workers: config.functions.workers,
      recycleAfter: config.functions.recycleAfter,
      workerMaxRssMb: config.functions.workerMaxRssMb,
      idleEvictMs: config.functions.idleEvictMs,
      maxWarmIsolates: config.functions.maxWarmIsolates,
      log,
    });
    const executions = new ExecutionWriter(store.db, log);
    const deps: Deps = {
      config,
      db: store.db,
      dialect: store.dialect,
      clock,
      log,
      pipeline: new ActionPipeline(store.db),
      email,
      adminKeyDigest: adminKey.digest,
      executions,
      runtime,
      secretsKey: loadSecretsKey(config),
      // Made just below, from these deps.
      dispatcher: { wake: () => dispatcher.wake() },
      scheduler: { wake: () => scheduler.wake() },
      realtime: { publish: (envelope) => realtime.publish(envelope) },
    };
    const dispatcher = new Dispatcher(deps);
    const scheduler = new Scheduler(deps);
    const realtime = new Realtime(deps);
    deps.pipeline.setSeams(eventSeams(deps));
    const server = await buildServer(deps);
    realtime.attach(server.server);
    let closed = false;
    const platform: Platform = {
      deps,
      store,
      server,
      realtime,
      async listen() {
        await realtime.start();
        const address = await server.listen({ host: config.host, port: config.port });
        email.start();
        runtime.start();
        dispatcher.start();
        scheduler.start();
        return address.replace("[::1]", "localhost");
      },
      async close() {
        if (closed) return;
        closed = true;
        // Requests in flight finish; keep-alive connections that go idle are closed as they do
        // (a client holding one open must not stall the shutdown), and after a grace period
        // whatever is left is cut.
        // Sockets are told the node is going away first, so their clients reconnect elsewhere at once.
        await realtime.stop();
        const idle = setInterval(() => server.server.closeIdleConnections(), 100);
        const force = setTimeout(() => server.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
        try {
          await server.close();
        } finally {
          clearInterval(idle);
          clearTimeout(force);
        }
        // Deliveries and ticks running now finish (or are left to their leases) while the sandbox still runs.
        await Promise.all([dispatcher.stop(), scheduler.stop()]);
        await Promise.all([email.stop(), runtime.close()]);
        // Runs that ended are stored before the database closes.
        await executions.drain();
        await store.close();
      },
    };
    if (adminKey.generated) platform.generatedAdminKey = adminKey.generated;
    return platform;
  } catch (error) {
    await store.close();
    throw error;
  }
}
