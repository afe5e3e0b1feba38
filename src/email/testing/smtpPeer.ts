// TEST SUPPORT (used by *.test.ts only): a real SMTP server on 127.0.0.1 that collects what it
// receives and can refuse attempts on demand, so tests exercise the whole SMTP conversation.
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The message as received, headers included. */
  raw: string;
  /** The raw message with quoted-printable soft breaks and escapes undone: easy to search. */
  decoded: string;
}

export interface Refusal {
  code: number;
  message: string;
}

export interface SmtpPeerOptions {
  /** Called for every DATA attempt with its recipients and how many attempts they had (1, 2, ...). */
  refuse?: (to: string[], attempt: number) => Refusal | undefined;
  /** Require AUTH with these credentials. */
  auth?: { user: string; pass: string };
}

export interface SmtpPeer {
  /** smtp://[user:pass@]127.0.0.1:port */
  url: string;
  messages: ReceivedMail[];
  /** DATA attempts, accepted or refused. */
  attempts(): number;
  close(): Promise<void>;
}

export async function startSmtpPeer(options: SmtpPeerOptions = {}): Promise<SmtpPeer> {
  const messages: ReceivedMail[] = [];
  let attempts = 0;
  const perRecipients = new Map<string, number>();
  const server = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    // Plain SMTP on loopback: no STARTTLS, so nodemailer does not try the built-in test certificate.
    disabledCommands: options.auth ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      const ok = auth.username === options.auth?.user && auth.password === options.auth?.pass;
      if (!ok) return callback(new Error("Invalid username or password"));
      return callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        attempts += 1;
        const to = session.envelope.rcptTo.map((r) => r.address);
        const key = to.join(",");
        const attempt = (perRecipients.get(key) ?? 0) + 1;
        perRecipients.set(key, attempt);
        const refusal = options.refuse?.(to, attempt);
        if (refusal) {
          return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
        }
        const raw = Buffer.concat(chunks).toString("utf8");
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to,
          raw,
          decoded: decodeQuotedPrintable(raw),
        });
        return callback(null, "Message accepted");
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.server.address() as { port: number };
  const credentials = options.auth
    ? `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.pass)}@`
    : "";
  return {
    url: `smtp://${credentials}127.0.0.1:${port}`,
    messages,
    attempts: () => attempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}
