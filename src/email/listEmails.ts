// The outbox as admins see it (GET /api/emails, the dashboard): newest first, optionally by status.
import { type Principal, requireAdmin } from "../auth/principal.js";
import { DEFAULT_LIMIT, type PageOf } from "../query/page.js";
import type { Db, EmailsTable } from "../storage/schema.js";
import { type OutboxMessage, toOutboxMessage } from "./transports/transport.js";

export type EmailStatus = EmailsTable["status"];
export const EMAIL_STATUSES = [
  "pending",
  "sending",
  "sent",
  "failed",
] as const satisfies readonly EmailStatus[];

export interface EmailItem extends OutboxMessage {
  status: EmailStatus;
  attempts: number;
  lastError: string | null;
  transport: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface EmailQuery {
  status?: EmailStatus;
  limit?: number;
  offset?: number;
}

export async function listEmails(
  deps: { db: Db },
  principal: Principal,
  query: EmailQuery = {},
): Promise<PageOf<EmailItem>> {
  requireAdmin(principal);
  const limit = query.limit ?? DEFAULT_LIMIT;
  const offset = query.offset ?? 0;
  let base = deps.db.selectFrom("emails");
  if (query.status) base = base.where("status", "=", query.status);
  const counted = await base.select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
  const rows = await base
    .selectAll()
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .offset(offset)
    .execute();
  return { items: rows.map(toEmailItem), total: Number(counted.n), limit, offset };
}

export function toEmailItem(row: EmailsTable): EmailItem {
  return {
    ...toOutboxMessage(row),
    status: row.status,
    attempts: Number(row.attempts),
    lastError: row.last_error,
    transport: row.transport,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}
