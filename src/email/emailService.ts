// PLACEHOLDER: to be written (outbox + sender).
import type { Logger } from "pino";
import type { Config } from "../config/config.js";
import type { Clock } from "../core/clock.js";
import type { Db, Executor } from "../storage/schema.js";

export interface EmailServiceDeps {
  db: Db;
  clock: Clock;
  config: Config;
  log: Logger;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  text?: string;
  html?: string;
  from?: string;
  replyTo?: string;
}

export class EmailService {
  constructor(readonly deps: EmailServiceDeps) {}

  async enqueue(_exec: Executor, _message: OutgoingEmail): Promise<string> {
    throw new Error("not implemented");
  }
  wake(): void {}
  start(): void {}
  async stop(): Promise<void> {}
}
