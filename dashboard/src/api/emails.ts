// /api/emails (admins): the email outbox, newest first, optionally by status. Shapes as the server
// answers them (src/email/listEmails.ts, src/email/transports/transport.ts).
import type { Transport } from "../../../src/sdk/http.js";

export const EMAIL_STATUSES = ["pending", "sending", "sent", "failed"] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

export interface EmailItem {
  id: string;
  to: string;
  from: string;
  replyTo: string | null;
  subject: string;
  /** Bodies may be absent (null), or left out by the server for emails holding a live token. */
  text?: string | null;
  html?: string | null;
  status: EmailStatus;
  attempts: number;
  lastError: string | null;
  /** "smtp", or "log" for the development transport; null before the first attempt. */
  transport: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface EmailQuery {
  status?: EmailStatus;
  limit?: number;
  offset?: number;
}

export function listEmails(http: Transport, query: EmailQuery = {}): Promise<Page<EmailItem>> {
  const { status, limit, offset } = query;
  return http.request("GET", "/api/emails", { query: { status, limit, offset } });
}
