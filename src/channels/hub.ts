// This node's connections by channel and by collection, and the delivery of envelopes to them. A
// message is serialised once and written to every member's socket; a record change goes to the
// feeds on its collection whose owner may read the record and whose filter it matches.
import type { Principal } from "../auth/principal.js";
import type { FilterNode } from "../query/filter.js";
import { matchFilter } from "../query/matchFilter.js";
import { readScope } from "../records/access.js";
import type { ReadRule } from "../records/collection.js";
import type { StoredRecord } from "../records/record.js";
import type { ChannelRule } from "./channelRules.js";
import type { Envelope, RecordChange } from "./envelope.js";
import type { ServerFrame } from "./frames.js";

/** What the hub needs of a connection. */
export interface Member {
  readonly id: string;
  readonly principal: Principal;
  /** The channels it joined, with their rules. */
  readonly channels: ReadonlyMap<string, ChannelRule>;
  /** A serialised frame: a string, or its UTF-8 bytes (sent as a text frame all the same). */
  sendText(text: string | Buffer): void;
  send(frame: ServerFrame): void;
}

export interface Feed {
  id: string;
  member: Member;
  collection: string;
  /** Only this record's changes. */
  recordId?: string | undefined;
  filter?: FilterNode | undefined;
}

export class Hub {
  private readonly channels = new Map<string, Set<Member>>();
  private readonly feeds = new Map<string, Set<Feed>>();
  /** Record changes are delivered in order, one after another (each reads its collection's rule). */
  private records: Promise<void> = Promise.resolve();

  constructor(private readonly readRuleOf: (collection: string) => Promise<ReadRule>) {}

  join(channel: string, member: Member): void {
    let set = this.channels.get(channel);
    if (!set) this.channels.set(channel, (set = new Set()));
    set.add(member);
  }

  leave(channel: string, member: Member): void {
    const set = this.channels.get(channel);
    if (!set) return;
    set.delete(member);
    if (set.size === 0) this.channels.delete(channel);
  }

  /** How many of this node's connections are in `channel`. */
  localMembers(channel: string): number {
    return this.channels.get(channel)?.size ?? 0;
  }

  addFeed(feed: Feed): void {
    let set = this.feeds.get(feed.collection);
    if (!set) this.feeds.set(feed.collection, (set = new Set()));
    set.add(feed);
  }

  removeFeed(feed: Feed): void {
    const set = this.feeds.get(feed.collection);
    if (!set) return;
    set.delete(feed);
    if (set.size === 0) this.feeds.delete(feed.collection);
  }

  deliver(envelope: Envelope): void {
    switch (envelope.kind) {
      case "message": {
        const members = this.channels.get(envelope.message.channel);
        if (!members) return;
        // Encoded once for every socket, not once per socket.
        const bytes = Buffer.from(
          JSON.stringify({ type: "message", ...envelope.message } satisfies ServerFrame),
        );
        for (const member of members) member.sendText(bytes);
        return;
      }
      case "presence": {
        const members = this.channels.get(envelope.channel);
        if (!members) return;
        const type = envelope.op === "join" ? "member_joined" : "member_left";
        const text = JSON.stringify({
          type,
          channel: envelope.channel,
          user: envelope.user,
        } satisfies ServerFrame);
        for (const member of members) {
          if (member.id === envelope.connection) continue;
          if (member.channels.get(envelope.channel)?.presence) member.sendText(text);
        }
        return;
      }
      case "record": {
        if (!this.feeds.has(envelope.change.collection)) return;
        this.records = this.records.then(() => this.deliverChange(envelope.change)).catch(() => {});
        return;
      }
    }
  }

  /** Resolves when the record changes handed over so far are delivered. */
  settled(): Promise<void> {
    return this.records;
  }

  private async deliverChange(change: RecordChange): Promise<void> {
    const feeds = this.feeds.get(change.collection);
    if (!feeds) return;
    const rule = await this.readRuleOf(change.collection);
    for (const feed of feeds) {
      if (feed.recordId !== undefined && feed.recordId !== change.record.id) continue;
      if (!mayRead(feed.member.principal, rule, change.record)) continue;
      if (feed.filter && !matchFilter(feed.filter, change.record)) {
        if (!change.previous || !matchFilter(feed.filter, change.previous)) continue;
      }
      feed.member.send({
        type: "change",
        subscription: feed.id,
        collection: change.collection,
        op: change.op,
        record: change.record,
        ...(change.previous ? { previous: change.previous } : {}),
      });
    }
  }
}

function mayRead(principal: Principal, rule: ReadRule, record: StoredRecord): boolean {
  try {
    const scope = readScope(principal, rule);
    return scope.all || scope.ownerId === record.ownerId;
  } catch {
    return false;
  }
}
