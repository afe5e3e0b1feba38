// email.send for function code: `backend.sendEmail(to, subject, body?)` puts a message in the outbox
// (src/email) and wakes the sender. `body` is the text, or `{ text, html, from, replyTo }`; a
// subject-only message is fine (seed 000). The outbox validates addresses and header text.
import { ValidationError } from "../../core/errors.js";
import type { OutgoingEmail } from "../../email/emailService.js";
import type { Op } from "./bridgeContext.js";

export const emailOps: Record<string, Op> = {
  "email.send": async ({ deps, args }) => {
    const message = { to: recipients(args[0]), subject: subjectOf(args[1]), ...bodyOf(args[2]) };
    const id = await deps.email.enqueue(deps.db, message);
    deps.email.wake();
    return { id };
  },
};

function recipients(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string"))
    return value.join(", ");
  throw new ValidationError("sendEmail: 'to' must be an email address or a list of addresses");
}

function subjectOf(value: unknown): string {
  if (typeof value !== "string") throw new ValidationError("sendEmail: the subject must be a string");
  return value;
}

function bodyOf(value: unknown): Omit<OutgoingEmail, "to" | "subject"> {
  if (value === undefined || value === null) return {};
  if (typeof value === "string") return { text: value };
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new ValidationError("sendEmail: the body must be a string or { text, html, from, replyTo }");
  }
  const { text, html, from, replyTo, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    throw new ValidationError(
      `sendEmail: unknown field ${unknown.join(", ")}; use text, html, from, replyTo`,
    );
  }
  const body: Omit<OutgoingEmail, "to" | "subject"> = {};
  for (const [key, v] of Object.entries({ text, html, from, replyTo })) {
    if (v === undefined || v === null) continue;
    if (typeof v !== "string") throw new ValidationError(`sendEmail: '${key}' must be a string`);
    body[key as keyof typeof body] = v;
  }
  return body;
}
