// Putting a message in the outbox: one pending row, written with the caller's executor so it
// commits (or rolls back) with the action that produced it. The sender loop does the rest.
import type { Clock } from "../core/clock.js";
import { ValidationError } from "../core/errors.js";
import { newId } from "../core/ids.js";
import type { Executor } from "../storage/schema.js";

export interface OutgoingEmail {
  /** One address, or several separated by commas; "Name <address>" works too. */
  to: string;
  subject: string;
  text?: string;
  html?: string;
  /** Defaults to config.emailFrom (EMAIL_FROM). */
  from?: string;
  replyTo?: string;
}

const MAX_BODY = 1_000_000;

export async function enqueueEmail(
  exec: Executor,
  deps: { clock: Clock; defaultFrom: string },
  message: OutgoingEmail,
): Promise<string> {
  const to = address(message.to, "to");
  const from = message.from === undefined ? deps.defaultFrom : address(message.from, "from");
  const replyTo = message.replyTo === undefined ? null : address(message.replyTo, "replyTo");
  const subject = headerText(message.subject, "subject");
  const text = body(message.text, "text");
  const html = body(message.html, "html");
  const id = newId();
  const now = deps.clock.now().toISOString();
  await exec
    .insertInto("emails")
    .values({
      id,
      to_address: to,
      from_address: from,
      reply_to: replyTo,
      subject,
      // A subject-only message (sendEmail(to, subject)) still gets an empty text part.
      text_body: text ?? (html === null ? "" : null),
      html_body: html,
      status: "pending",
      attempts: 0,
      next_attempt_at: now,
      locked_until: null,
      last_error: null,
      transport: null,
      created_at: now,
      sent_at: null,
    })
    .execute();
  return id;
}

/** Header values: no line breaks, so nothing can smuggle in extra headers. */
function headerText(value: unknown, field: string): string {
  if (typeof value !== "string") throw new ValidationError(`Email ${field} must be a string`);
  if (/[\r\n]/.test(value)) throw new ValidationError(`Email ${field} must not contain line breaks`);
  if (value.length > 998) throw new ValidationError(`Email ${field} is longer than 998 characters`);
  return value;
}

function address(value: unknown, field: string): string {
  const text = headerText(value, field).trim();
  if (!text.includes("@")) throw new ValidationError(`Email ${field} must be an email address`);
  return text;
}

function body(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw new ValidationError(`Email ${field} must be a string`);
  if (value.length > MAX_BODY)
    throw new ValidationError(`Email ${field} is longer than ${MAX_BODY} characters`);
  return value;
}
