// The development transport: nothing leaves the machine. It logs who would get what subject and
// marks the message sent; the body stays in the outbox (GET /api/emails) and out of the logs,
// because it may hold a password reset token.
import type { Logger } from "pino";
import type { EmailTransport } from "./transport.js";

export function logTransport(log: Logger): EmailTransport {
  return {
    name: "log",
    secrets: [],
    async send(message) {
      log.info(
        { emailId: message.id, to: message.to, subject: message.subject },
        "email not sent (no SMTP_URL configured); read it with GET /api/emails",
      );
    },
    close() {},
  };
}
