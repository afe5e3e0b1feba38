// The email outbox and its sender. `enqueue` writes a pending row in the caller's transaction;
// the sender loop (one per process, started by the platform) claims due rows with a lease, hands
// them to the transport and records the outcome: sent, retry later with backoff, or failed.
// `wake()` after a commit makes it look at once; otherwise it polls every config.email.pollMs,
// which also picks up retries and rows enqueued by other nodes. Nothing a transport does can throw
// out of here: failures end up in the row's last_error and in a log line without secrets.
import type { Logger } from "pino";
import type { Config } from "../config/config.js";
import type { Clock } from "../core/clock.js";
import type { Db, EmailsTable, Executor } from "../storage/schema.js";
import type { DialectName } from "../storage/store.js";
import { claimEmails } from "./claimEmails.js";
import { describeFailure } from "./describeFailure.js";
import { enqueueEmail, type OutgoingEmail } from "./enqueueEmail.js";
import { markFailed, markSent } from "./settleEmail.js";
import { chooseTransport, type EmailTransport, toOutboxMessage } from "./transports/transport.js";

export type { OutgoingEmail } from "./enqueueEmail.js";

export interface EmailServiceDeps {
  db: Db;
  dialect: DialectName;
  clock: Clock;
  config: Config;
  log: Logger;
  /** Replaces the transport chosen from config (tests). */
  transport?: EmailTransport;
}

/** Messages claimed per round; they are sent concurrently. */
const BATCH = 10;
/** Longer than any send can take with the SMTP timeouts, so a live sender keeps its rows. */
const LEASE_MS = 5 * 60_000;

export class EmailService {
  private readonly transport: EmailTransport;
  private readonly skipLocked: boolean;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  private wokenDuringPass = false;

  constructor(readonly deps: EmailServiceDeps) {
    this.transport = deps.transport ?? chooseTransport(deps.config.smtpUrl, deps.log);
    this.skipLocked = deps.dialect === "postgres";
  }

  /** Inserts a pending message with `executor` (pass the transaction) and returns its id. */
  enqueue(executor: Executor, message: OutgoingEmail): Promise<string> {
    return enqueueEmail(
      executor,
      { clock: this.deps.clock, defaultFrom: this.deps.config.emailFrom },
      message,
    );
  }

  /** Call after the enqueuing transaction committed: the sender looks now instead of at its next poll. */
  wake(): void {
    if (!this.running) return;
    if (this.pass) this.wokenDuringPass = true;
    else this.schedule(0);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops polling and waits for the messages being sent right now. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.pass;
    this.transport.close();
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.runPass(), ms);
    // The loop alone must not keep the process alive; stop() is the orderly way out.
    this.timer.unref();
  }

  private runPass(): void {
    this.timer = undefined;
    if (!this.running || this.pass) return;
    this.pass = this.drain()
      .catch((error: unknown) => {
        this.deps.log.warn(
          { error: describeFailure(error, []).message },
          "email sender: could not read the outbox",
        );
      })
      .finally(() => {
        this.pass = undefined;
        if (this.running) this.schedule(this.wokenDuringPass ? 0 : this.deps.config.email.pollMs);
        this.wokenDuringPass = false;
      });
  }

  /** Claims and sends until nothing is due (or stop() was called). */
  private async drain(): Promise<void> {
    while (this.running) {
      this.wokenDuringPass = false;
      const now = this.deps.clock.now();
      const claimed = await claimEmails(this.deps.db, {
        now: now.toISOString(),
        leaseUntil: new Date(now.getTime() + LEASE_MS).toISOString(),
        limit: BATCH,
        skipLocked: this.skipLocked,
      });
      if (claimed.length === 0 && !this.wokenDuringPass) return;
      await Promise.all(claimed.map((row) => this.deliver(row)));
    }
  }

  private async deliver(row: EmailsTable): Promise<void> {
    const { log, db, clock, config } = this.deps;
    try {
      await this.transport.send(toOutboxMessage(row));
    } catch (error) {
      const failure = describeFailure(error, this.transport.secrets);
      try {
        const status = await markFailed(db, row, clock.now(), {
          error: failure.message,
          permanent: failure.permanent,
          maxAttempts: config.email.maxAttempts,
          transport: this.transport.name,
        });
        log.warn(
          { emailId: row.id, to: row.to_address, attempts: row.attempts, error: failure.message },
          status === "failed" ? "email failed: giving up" : "email not sent: will retry",
        );
      } catch (dbError) {
        this.logStoreError(row, dbError);
      }
      return;
    }
    try {
      await markSent(db, row, clock.now(), this.transport.name);
      if (this.transport.name !== "log") log.info({ emailId: row.id, to: row.to_address }, "email sent");
    } catch (dbError) {
      // The lease runs out and the message is sent again: at least once, never lost.
      this.logStoreError(row, dbError);
    }
  }

  private logStoreError(row: EmailsTable, error: unknown): void {
    this.deps.log.error(
      { emailId: row.id, error: describeFailure(error, []).message },
      "email sender: could not record the outcome",
    );
  }
}
