// SMTP through nodemailer, configured by one URL: smtp://user:pass@host:587 (STARTTLS when the
// server offers it) or smtps://user:pass@host:465. nodemailer's URL options (`?tls.rejectUnauthorized=false`,
// `?connectionTimeout=...`) pass through; our timeouts apply when the URL sets none, so a silent
// server cannot hold a message past its lease.
import nodemailer from "nodemailer";
import shared from "nodemailer/lib/shared/index.js";
import type { EmailTransport } from "./transport.js";

const TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 };

export function smtpTransport(url: string): EmailTransport {
  const options = { ...TIMEOUTS, ...shared.parseConnectionUrl(url) };
  const transporter = nodemailer.createTransport(options);
  const pass = (options.auth as { pass?: unknown } | undefined)?.pass;
  // The password as configured and as written in the URL (percent-encoded).
  const secrets = typeof pass === "string" && pass !== "" ? [pass, encodeURIComponent(pass)] : [];
  return {
    name: "smtp",
    secrets,
    async send(message) {
      await transporter.sendMail({
        from: message.from,
        to: message.to,
        ...(message.replyTo ? { replyTo: message.replyTo } : {}),
        subject: message.subject,
        ...(message.text !== null ? { text: message.text } : {}),
        ...(message.html !== null ? { html: message.html } : {}),
        // A stable Message-ID: if a message is ever sent twice (a sender died after handing it over),
        // receivers can tell it is the same one.
        messageId: `<${message.id}@${domainOf(message.from)}>`,
      });
    },
    close() {
      transporter.close();
    },
  };
}

function domainOf(from: string): string {
  return /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? "localhost";
}
