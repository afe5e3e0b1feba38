// Turns a transport error into what may be stored and logged: the message and SMTP code only
// (never the error object, whose properties can echo commands and credentials), with the SMTP
// password and anything shaped like one of our tokens scrubbed out, and a bounded length.
const TOKEN = /\bbk[a-z]*_[A-Za-z0-9_-]{16,}/g;
const URL_CREDENTIALS = /(\w+:\/\/)[^/\s:@]*:[^/\s@]*@/g;
const MAX_LENGTH = 500;

export interface DescribedFailure {
  message: string;
  permanent: boolean;
}

export function describeFailure(error: unknown, secrets: string[]): DescribedFailure {
  const e = (typeof error === "object" && error !== null ? error : {}) as {
    message?: unknown;
    code?: unknown;
    responseCode?: unknown;
  };
  let message = typeof e.message === "string" && e.message !== "" ? e.message : String(error);
  if (typeof e.code === "string" && !message.includes(e.code)) message = `${e.code}: ${message}`;
  for (const secret of secrets) message = message.split(secret).join("[redacted]");
  message = message.replace(TOKEN, "[redacted]").replace(URL_CREDENTIALS, "$1[redacted]@");
  if (message.length > MAX_LENGTH) message = `${message.slice(0, MAX_LENGTH)}…`;
  // 5xx on the envelope or the message means this message will never be accepted; other errors
  // (connection, timeouts, 4xx, a wrong SMTP password) may pass, so they are retried.
  const code = typeof e.responseCode === "number" ? e.responseCode : 0;
  const permanent = code >= 500 && code < 600 && (e.code === "EENVELOPE" || e.code === "EMESSAGE");
  return { message, permanent };
}
