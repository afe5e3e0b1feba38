// client.admin.emails: the outbox — every email the platform and functions sent or will send —
// newest first, optionally by status (GET /api/emails).
import type { Transport } from "../http.js";
import type { Page } from "../types.js";

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

export interface EmailFilters {
  status?: EmailStatus;
  /** 1..1000, default 50. */
  limit?: number;
  offset?: number;
}

export interface AdminEmailsApi {
  /** Emails, newest first; `total` counts every match. */
  list(filters?: EmailFilters): Promise<Page<EmailItem>>;
}

export function adminEmailsApi(http: Transport): AdminEmailsApi {
  return { list: (filters = {}) => http.request("GET", "/api/emails", { query: { ...filters } }) };
}
