// One email of the outbox: its envelope, what happened to it, and its bodies as the API answers
// them. The HTML body is shown in a sandboxed iframe (no scripts, no same-origin access, no
// navigation of the dashboard), never written into the dashboard's own document.
import type { EmailItem } from "../../../src/sdk/index.js";
import { Link } from "../router/router.js";
import { formatTime } from "../ui/formatTime.js";

export function EmailDetail({ email, closePath }: { email: EmailItem; closePath: string }) {
  return (
    <section class="card panel email-detail" aria-labelledby="email-detail-title" data-testid="email-detail">
      <div class="page-head">
        <h2 id="email-detail-title">{email.subject || "(no subject)"}</h2>
        <Link to={closePath} class="button">
          Close
        </Link>
      </div>
      <dl class="facts">
        <dt>To</dt>
        <dd>{email.to}</dd>
        <dt>From</dt>
        <dd>{email.from}</dd>
        {email.replyTo !== null && (
          <>
            <dt>Reply to</dt>
            <dd>{email.replyTo}</dd>
          </>
        )}
        <dt>Status</dt>
        <dd>
          <span class={`status status-${email.status}`}>{email.status}</span>
          {email.transport !== null && <span class="muted"> via {email.transport}</span>}
          {", "}
          {email.attempts} {email.attempts === 1 ? "attempt" : "attempts"}
        </dd>
        {email.lastError !== null && (
          <>
            <dt>Last error</dt>
            <dd class="email-error">{email.lastError}</dd>
          </>
        )}
        <dt>Queued</dt>
        <dd title={email.createdAt}>{formatTime(email.createdAt)}</dd>
        <dt>Sent</dt>
        <dd title={email.sentAt ?? undefined}>{formatTime(email.sentAt)}</dd>
      </dl>
      <Bodies email={email} />
    </section>
  );
}

function Bodies({ email }: { email: EmailItem }) {
  if (!("text" in email) && !("html" in email)) {
    return (
      <p class="muted" data-testid="email-body-hidden">
        The API does not show this email's body (it may hold a live token, such as a password reset).
      </p>
    );
  }
  const { text, html } = email;
  return (
    <>
      <h3>Text</h3>
      {text ? (
        <pre class="output email-text" data-testid="email-text">
          {text}
        </pre>
      ) : (
        <p class="muted">No text body.</p>
      )}
      <h3>HTML</h3>
      {html ? (
        <iframe
          class="email-html"
          title={`HTML body of ${email.subject || "the email"}`}
          sandbox=""
          srcdoc={html}
          referrerpolicy="no-referrer"
        />
      ) : (
        <p class="muted">No HTML body.</p>
      )}
    </>
  );
}
