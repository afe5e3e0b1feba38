// What the sender loop needs from a way of delivering mail. SMTP when SMTP_URL is set; otherwise
// the development transport, which only logs.
import type { Logger } from "pino";
import type { EmailsTable } from "../../storage/schema.js";
import { logTransport } from "./logTransport.js";
import { smtpTransport } from "./smtpTransport.js";

export interface OutboxMessage {
  id: string;
  to: string;
  from: string;
  replyTo: string | null;
  subject: string;
  text: string | null;
  html: string | null;
}

/** The message part of an outbox row. */
export function toOutboxMessage(row: EmailsTable): OutboxMessage {
  return {
    id: row.id,
    to: row.to_address,
    from: row.from_address,
    replyTo: row.reply_to,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
  };
}

export interface EmailTransport {
  /** Stored on each row as `transport`: "smtp" or "log". */
  readonly name: string;
  /** Resolves when the message was handed over; rejects with the reason otherwise. */
  send(message: OutboxMessage): Promise<void>;
  /** Strings to scrub from error messages before they reach logs or the database. */
  readonly secrets: string[];
  close(): void;
}

export function chooseTransport(smtpUrl: string | undefined, log: Logger): EmailTransport {
  return smtpUrl ? smtpTransport(smtpUrl) : logTransport(log);
}
