// Listens to one channel over the SDK's realtime socket while a view shows it: joins on mount, leaves
// on unmount, and keeps the last messages. The admin key and admin users may join any channel; the
// socket is the session's own (client.channels), shared with anything else that listens.
import { useEffect, useState } from "preact/hooks";
import type { Channel, ChannelMessage } from "../../../src/sdk/index.js";
import type { Session } from "../session/session.js";

/** How many messages the log keeps. */
const KEEP = 200;

export type LiveState = { state: "joining" } | { state: "live" } | { state: "error"; error: unknown };

export interface LogEntry {
  message: ChannelMessage;
  /** Sent from this console. */
  sentHere: boolean;
  /** Came back over the socket. */
  received: boolean;
}

export function useLiveChannel(session: Session, name: string) {
  const [live, setLive] = useState<LiveState>({ state: "joining" });
  const [log, setLog] = useState<LogEntry[]>([]);

  useEffect(() => {
    let stopped = false;
    let joined: Channel | undefined;
    setLive({ state: "joining" });
    setLog([]);
    session.client.channels
      .join(name, (message) => {
        if (!stopped) setLog((entries) => merge(entries, { message, sentHere: false, received: true }));
      })
      .then(
        (channel) => {
          joined = channel;
          if (stopped) void channel.leave().catch(() => {});
          else setLive({ state: "live" });
        },
        (error: unknown) => {
          if (!stopped) setLive({ state: "error", error });
        },
      );
    // A rejoin that fails after a reconnect is reported here, not to any promise.
    const stopErrors = session.client.realtime.onError((error) => {
      if (!stopped) setLive({ state: "error", error });
    });
    return () => {
      stopped = true;
      stopErrors();
      void joined?.leave().catch(() => {});
    };
  }, [session, name]);

  /** Adds a message this console sent (its echo over the socket, if any, is the same entry). */
  const sent = (message: ChannelMessage) =>
    setLog((entries) => merge(entries, { message, sentHere: true, received: false }));

  return { live, log, sent };
}

function merge(entries: LogEntry[], entry: LogEntry): LogEntry[] {
  const index = entries.findIndex((e) => e.message.id === entry.message.id);
  if (index === -1) return [...entries, entry].slice(-KEEP);
  const known = entries[index]!;
  const next = [...entries];
  next[index] = {
    message: known.message,
    sentHere: known.sentHere || entry.sentHere,
    received: known.received || entry.received,
  };
  return next;
}
