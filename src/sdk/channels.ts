// client.channels: join a channel to receive its messages, send into it, see who is in it. Joined
// channels outlive a dropped connection (the socket re-joins them when it is back), and a message that
// arrives twice around a reconnect is delivered once: each channel remembers the ids it delivered.
// Joins and leaves of one channel run one after another, so a quick leave-then-join ends up joined.
import { BackendError } from "./errors.js";
import { notify, type RealtimeSocket, type ServerFrame } from "./realtime.js";
import type { ChannelMessage, MemberUser, PresenceChange } from "./types.js";

/** How many message ids each channel remembers, to drop repeats. */
const RECENT_IDS = 1000;

/** A joined channel, as `channels.join` answers it. */
export interface Channel<M = unknown> {
  readonly name: string;
  /** Sends a message to every member (you too); resolves with its id. Not joined -> "not_joined". */
  send(message: M): Promise<{ id: string }>;
  /** Stops this handle's listeners; the channel is left when no handle of it is still joined. */
  leave(): Promise<void>;
  /** Who is in the channel; needs a channel rule with `presence: true`, otherwise "forbidden". */
  presence(): Promise<MemberUser[]>;
  /** Calls `listener` when someone arrives or leaves (presence channels); returns a function that stops it. */
  onPresence(listener: (change: PresenceChange) => void): () => void;
}

export interface ChannelsApi {
  /**
   * Joins a channel and calls `onMessage` with each message sent to it. Refused -> BackendError with
   * the server's code: "unauthorized" (sign in first), "forbidden" (not your channel, or a private
   * one), "blocked" (a PRE_CHANNEL_JOIN handler said no), "invalid_input" (a bad name).
   */
  join<M = unknown>(name: string, onMessage: (message: ChannelMessage<M>) => void): Promise<Channel<M>>;
  /** Sends into a channel this client joined; resolves with the message's id. */
  send<M = unknown>(name: string, message: M): Promise<{ id: string }>;
  /** Leaves a channel, for every handle that joined it. */
  leave(name: string): Promise<void>;
  /** Who is in a joined channel with presence on. */
  presence(name: string): Promise<MemberUser[]>;
}

interface Joined {
  messageListeners: Set<(message: ChannelMessage) => void>;
  presenceListeners: Set<(change: PresenceChange) => void>;
  /** Recent message ids, oldest first. */
  recent: Set<string>;
  /** The server said `joined` once: a new connection re-joins it. */
  confirmed: boolean;
}

export function channelsApi(socket: RealtimeSocket): ChannelsApi {
  const joined = new Map<string, Joined>();
  const tails = new Map<string, Promise<unknown>>();

  function serially<T>(name: string, work: () => Promise<T>): Promise<T> {
    // With nothing before it, the work starts now: a send right after an unawaited join follows it.
    const tail = tails.get(name);
    const run = tail ? tail.catch(() => {}).then(work) : work();
    tails.set(name, run);
    const forget = () => {
      if (tails.get(name) === run) tails.delete(name);
    };
    run.then(forget, forget);
    return run;
  }

  async function leaveNow(name: string): Promise<void> {
    if (!joined.delete(name)) return;
    // A closed socket took its channels with it, and the next one will not re-join this one.
    if (!socket.isOpen) return;
    try {
      await socket.request({ type: "leave", channel: name }, { resend: false });
    } catch (error) {
      if (!(error instanceof BackendError && error.status === 0)) throw error;
    }
  }

  function handle<M>(name: string, channel: Joined, listener: (message: ChannelMessage) => void): Channel<M> {
    const ownPresence = new Set<(change: PresenceChange) => void>();
    return {
      name,
      send: (message) => api.send(name, message),
      presence: () => api.presence(name),
      onPresence(listener) {
        const own = (change: PresenceChange) => listener(change);
        ownPresence.add(own);
        channel.presenceListeners.add(own);
        return () => {
          ownPresence.delete(own);
          channel.presenceListeners.delete(own);
        };
      },
      leave: () =>
        serially(name, async () => {
          channel.messageListeners.delete(listener);
          for (const own of ownPresence) channel.presenceListeners.delete(own);
          ownPresence.clear();
          if (joined.get(name) === channel && channel.messageListeners.size === 0) await leaveNow(name);
        }),
    };
  }

  const api: ChannelsApi = {
    join<M>(name: string, onMessage: (message: ChannelMessage<M>) => void) {
      return serially(name, async () => {
        let channel = joined.get(name);
        const fresh = channel === undefined;
        if (!channel) {
          channel = {
            messageListeners: new Set(),
            presenceListeners: new Set(),
            recent: new Set(),
            confirmed: false,
          };
          joined.set(name, channel);
        }
        // Listening before the answer: the server may deliver a message just ahead of `joined`.
        const listener = (message: ChannelMessage) => onMessage(message as ChannelMessage<M>);
        channel.messageListeners.add(listener);
        if (fresh) {
          try {
            await socket.request({ type: "join", channel: name }, { resend: true });
            channel.confirmed = true;
          } catch (error) {
            if (joined.get(name) === channel) joined.delete(name);
            throw error;
          }
        }
        return handle<M>(name, channel, listener);
      });
    },
    async send(name, message) {
      const sent = await socket.request({ type: "send", channel: name, message }, { resend: false });
      return { id: sent.id as string };
    },
    leave: (name) => serially(name, () => leaveNow(name)),
    async presence(name) {
      const answer = await socket.request({ type: "presence", channel: name }, { resend: true });
      return answer.members as MemberUser[];
    },
  };

  socket.participate({
    holding: () => joined.size > 0,
    restore() {
      for (const [name, channel] of joined) {
        // A join still waiting for its first answer goes out again by itself.
        if (!channel.confirmed) continue;
        socket.request({ type: "join", channel: name }, { resend: false }).catch((error: unknown) => {
          // Status 0: this connection is gone too, and the next one re-joins again.
          if (!(error instanceof BackendError) || error.status === 0 || joined.get(name) !== channel) return;
          joined.delete(name);
          socket.report(
            new BackendError(
              error.status,
              error.code,
              `Could not re-join '${name}' after reconnecting: ${error.message}`,
              error.details,
            ),
          );
        });
      }
    },
    receive(frame) {
      if (frame.type === "message") deliverMessage(frame);
      else if (frame.type === "member_joined" || frame.type === "member_left") deliverPresence(frame);
    },
    reset() {
      joined.clear();
    },
  });

  function deliverMessage(frame: ServerFrame): void {
    const message = frame as unknown as ChannelMessage;
    const channel = joined.get(message.channel);
    if (!channel || channel.recent.has(message.id)) return;
    channel.recent.add(message.id);
    if (channel.recent.size > RECENT_IDS) channel.recent.delete(channel.recent.values().next().value!);
    const { id, message: body, user, timestamp } = message;
    notify(channel.messageListeners, { id, channel: message.channel, message: body, user, timestamp });
  }

  function deliverPresence(frame: ServerFrame): void {
    const name = frame.channel as string;
    const channel = joined.get(name);
    if (!channel) return;
    notify(channel.presenceListeners, {
      channel: name,
      op: frame.type === "member_joined" ? "joined" : "left",
      user: frame.user as MemberUser,
    });
  }

  return api;
}
