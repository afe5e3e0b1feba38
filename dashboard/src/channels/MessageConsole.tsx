// Sends a JSON message into a channel as the admin (members see `user: null`), optionally firing
// chan_in, and shows the channel's messages live: the console joins the channel over the session's
// realtime socket while it is open. Each message is one log entry, whether it was sent from here,
// came back over the socket, or both.
import { useEffect, useRef, useState } from "preact/hooks";
import type { Session } from "../session/session.js";
import { formatTime } from "../ui/formatTime.js";
import { parseJsonInput } from "../ui/jsonInput.js";
import { messageOf } from "../ui/messageOf.js";
import { ErrorMessage } from "../ui/states.js";
import { type LiveState, type LogEntry, useLiveChannel } from "./useLiveChannel.js";

const STARTER = '{ "text": "Hello from the dashboard" }';

export function MessageConsole({ session, name }: { session: Session; name: string }) {
  const { live, log, sent } = useLiveChannel(session, name);
  const [text, setText] = useState(STARTER);
  const [fireEvent, setFireEvent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function send(event: Event) {
    event.preventDefault();
    setError(null);
    const parsed = parseJsonInput(text, "The message");
    if ("problem" in parsed) return setError(new Error(parsed.problem));
    if (parsed.value === undefined) return setError(new Error("The message is empty: write any JSON."));
    const message = parsed.value;
    setBusy(true);
    try {
      sent(await session.client.admin.channels.send(name, message, fireEvent ? { event: true } : {}));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="card panel message-console">
      <h3 class="panel-title">Message console</h3>
      <form aria-label="Send a message" onSubmit={send}>
        <div class="field">
          <label for="channel-message">Message (JSON)</label>
          <textarea
            id="channel-message"
            name="message"
            rows={4}
            class="mono"
            spellcheck={false}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) void send(e);
            }}
          />
        </div>
        <div class="console-actions">
          <label class="switch">
            <input
              type="checkbox"
              name="event"
              checked={fireEvent}
              onChange={(e) => setFireEvent(e.currentTarget.checked)}
            />
            <span>
              Also fire <code>chan_in</code> (POST_CHANNEL_MESSAGE)
            </span>
          </label>
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? "Sending…" : "Send"}
          </button>
        </div>
        {error !== null && <ErrorMessage error={error} />}
      </form>
      <div class="log-head">
        <h3>Messages</h3>
        <LiveStatus live={live} />
      </div>
      <MessageLog log={log} live={live} />
    </div>
  );
}

function LiveStatus({ live }: { live: LiveState }) {
  if (live.state === "error") {
    return (
      <span class="live-status live-off" data-testid="live-status">
        not listening
      </span>
    );
  }
  return (
    <span class={`live-status ${live.state === "live" ? "live-on" : ""}`} data-testid="live-status">
      {live.state === "live" ? "live" : "joining…"}
    </span>
  );
}

function MessageLog({ log, live }: { log: LogEntry[]; live: LiveState }) {
  const list = useRef<HTMLOListElement>(null);
  // The newest message is at the bottom: keep it in view as messages arrive.
  useEffect(() => {
    const element = list.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [log.length]);
  return (
    <>
      {live.state === "error" && (
        <div class="state state-error" role="alert">
          <p>Could not listen to this channel: {messageOf(live.error)}</p>
          <p>Messages sent from here are still shown.</p>
        </div>
      )}
      {live.state === "live" && (
        <p class="muted">
          Listening as the admin: messages sent to the channel by anyone appear here. This console is one of
          the channel's connections.
        </p>
      )}
      {log.length === 0 ? (
        <p class="muted" data-testid="log-empty">
          No messages since this page opened.
        </p>
      ) : (
        <ol ref={list} class="message-log" aria-label="Messages" aria-live="polite" data-testid="message-log">
          {log.map(({ message, sentHere, received }) => (
            <li key={message.id} class="message-entry" data-message-id={message.id}>
              <div class="message-meta">
                <time dateTime={message.timestamp} title={message.timestamp}>
                  {formatTime(message.timestamp)}
                </time>
                <span class="message-from">{message.user ? message.user.email : "admin / server"}</span>
                {sentHere && <span class="tag">sent from here</span>}
                {sentHere && !received && live.state === "live" && <span class="tag">not echoed yet</span>}
              </div>
              <pre class="output message-body">{JSON.stringify(message.message, null, 2)}</pre>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
