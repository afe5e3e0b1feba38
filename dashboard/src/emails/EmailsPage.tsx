// Emails: the outbox, newest first (to, subject, status, attempts, last error, times), filtered by
// status and paged; /emails/<id> opens one email beside the list. State lives in the URL
// (?status=&offset=), so a reload or a shared link shows the same page.
import { EMAIL_STATUSES, type EmailStatus } from "../../../src/sdk/index.js";
import type { Location } from "../router/router.js";
import { Link, navigate } from "../router/router.js";
import type { Session } from "../session/session.js";
import { formatTime } from "../ui/formatTime.js";
import { EmptyState, ErrorMessage, Loading } from "../ui/states.js";
import { Pager } from "../ui/Pager.js";
import { useLoad } from "../ui/useLoad.js";
import { usePolling } from "../ui/usePolling.js";
import { EmailDetail } from "./EmailDetail.js";
import "./emails.css";
import { pathWithQuery } from "../router/pathWithQuery.js";

const PAGE_SIZE = 25;

function statusOf(value: string | null): EmailStatus | undefined {
  return EMAIL_STATUSES.find((s) => s === value);
}

export function EmailsPage({ session, location }: { session: Session; location: Location }) {
  const status = statusOf(location.query.get("status"));
  const offset = Math.max(0, Number(location.query.get("offset")) || 0);
  const openId = location.path.startsWith("/emails/")
    ? decodeURIComponent(location.path.slice("/emails/".length))
    : null;
  const emails = useLoad(
    () => session.client.admin.emails.list({ status, limit: PAGE_SIZE, offset }),
    [session, status, offset],
  );

  const inFlight = emails.data?.items.some((e) => e.status === "pending" || e.status === "sending");
  // While an email is pending or being sent, the list reloads itself.
  usePolling(emails.reload, !!inFlight);

  const listPath = (changes: { status?: EmailStatus; offset?: number }, id: string | null = null) =>
    pathWithQuery(id === null ? "/emails" : `/emails/${encodeURIComponent(id)}`, {
      status: "status" in changes ? changes.status : status,
      offset: changes.offset ?? offset,
    });

  const open = openId === null ? null : (emails.data?.items.find((e) => e.id === openId) ?? null);

  return (
    <section>
      <div class="page-head">
        <h1>Emails</h1>
        <button type="button" class="button" onClick={() => void emails.reload()}>
          Refresh
        </button>
      </div>
      <p class="muted">
        The outbox: every email the server queued, newest first, with what happened to it. Without SMTP_URL
        nothing leaves the machine and emails are marked sent by the log transport.
      </p>
      <form class="card inline-form" aria-label="Filter emails" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="email-status">Status</label>
          <select
            id="email-status"
            name="status"
            value={status ?? ""}
            onChange={(e) => navigate(listPath({ status: statusOf(e.currentTarget.value), offset: 0 }))}
          >
            <option value="">All</option>
            {EMAIL_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      </form>
      {emails.state === "error" && <ErrorMessage error={emails.error} onRetry={emails.reload} />}
      {openId !== null &&
        (open ? (
          <EmailDetail email={open} closePath={listPath({})} />
        ) : (
          emails.data && (
            <div class="card panel email-detail" role="region" aria-label="Email">
              <p>This email is not on this page of the outbox.</p>
              <Link to={listPath({})}>Back to the list</Link>
            </div>
          )
        ))}
      {emails.data === undefined ? (
        emails.state === "loading" && <Loading label="Loading emails…" />
      ) : emails.data.items.length === 0 ? (
        <EmptyState title={status ? `No ${status} emails` : "No emails yet"}>
          <p>Emails appear here when the server sends one, such as a password reset.</p>
        </EmptyState>
      ) : (
        <>
          <div class="table-wrap">
            <table class="table emails-table">
              <caption class="visually-hidden">Emails</caption>
              <thead>
                <tr>
                  <th scope="col">Subject</th>
                  <th scope="col">To</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Last error</th>
                  <th scope="col">Queued</th>
                  <th scope="col">Sent</th>
                </tr>
              </thead>
              <tbody>
                {emails.data.items.map((email) => (
                  <tr
                    key={email.id}
                    data-email={email.id}
                    aria-current={email.id === openId ? "true" : undefined}
                  >
                    <th scope="row">
                      <Link to={listPath({}, email.id)}>{email.subject || "(no subject)"}</Link>
                    </th>
                    <td>{email.to}</td>
                    <td>
                      <span class={`status status-${email.status}`} data-testid="email-status">
                        {email.status}
                      </span>
                    </td>
                    <td>{email.attempts}</td>
                    <td class="email-error">{email.lastError ?? <span class="muted">—</span>}</td>
                    <td class="nowrap" title={email.createdAt}>
                      {formatTime(email.createdAt)}
                    </td>
                    <td class="nowrap" title={email.sentAt ?? undefined}>
                      {formatTime(email.sentAt)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            label="Emails pages"
            total={emails.data.total}
            limit={emails.data.limit}
            offset={emails.data.offset}
            shown={emails.data.items.length}
            onOffset={(next) => navigate(listPath({ offset: next }, openId))}
          />
        </>
      )}
    </section>
  );
}
