// The realtime bus between nodes on PostgreSQL: envelopes go out with NOTIFY and come in through
// one LISTEN connection per node (src/storage/pgListener.ts). Envelopes published in the same turn
// of the event loop share one statement and, up to the NOTIFY size limit, one notification; one too
// large for a notification is stored in realtime_payloads and its notification carries the row id
// (the "by reference" form), read back by the receivers. One flush is in flight at a time and
// receivers handle notifications in order, so envelopes from one node arrive in the order sent.
import { sql } from "kysely";
import type { Logger } from "pino";
import { newId } from "../core/ids.js";
import { PgListener } from "../storage/pgListener.js";
import type { Db } from "../storage/schema.js";
import type { Envelope } from "./envelope.js";

export const REALTIME_CHANNEL = "backend_realtime";
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; this leaves room for the wrapper. */
const NOTIFY_BYTES = 7800;

/** One notification: from a node, either envelopes inline or the id of a stored payload. */
interface Notice {
  /** The node that sent it: a node skips its own. */
  o: string;
  e?: Envelope[];
  r?: string;
}

export class PgBus {
  private queue: Envelope[] = [];
  private flushing: Promise<void> | undefined;
  private listener: PgListener | undefined;
  /** Notifications are handled one after another, so a stored one does not let later ones overtake it. */
  private inbound: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: { db: Db; log: Logger; databaseUrl: string },
    private readonly nodeId: string,
    private readonly onEnvelope: (envelope: Envelope) => void,
  ) {}

  async start(): Promise<void> {
    this.listener = new PgListener(
      this.deps.databaseUrl,
      REALTIME_CHANNEL,
      (payload) => {
        if (payload) this.inbound = this.inbound.then(() => this.receive(payload));
      },
      this.deps.log,
      "realtime bus",
    );
    await this.listener.start();
  }

  async stop(): Promise<void> {
    await this.flushing;
    await this.listener?.stop();
    await this.inbound;
  }

  publish(envelope: Envelope): void {
    this.queue.push(envelope);
    if (this.queue.length === 1 && !this.flushing) setImmediate(() => this.flush());
  }

  private flush(): void {
    if (this.flushing || this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.flushing = this.send(batch)
      .catch((error: unknown) => {
        this.deps.log.warn(
          { error: (error as Error).message, envelopes: batch.length },
          "realtime bus: could not notify other nodes; their members miss these envelopes",
        );
      })
      .finally(() => {
        this.flushing = undefined;
        this.flush();
      });
  }

  private async send(batch: Envelope[]): Promise<void> {
    const payloads: string[] = [];
    let inline: Envelope[] = [];
    let size = 0;
    const close = () => {
      if (inline.length > 0) payloads.push(JSON.stringify({ o: this.nodeId, e: inline } satisfies Notice));
      inline = [];
      size = 0;
    };
    for (const envelope of batch) {
      const text = JSON.stringify(envelope);
      const bytes = Buffer.byteLength(text) + 1;
      if (bytes > NOTIFY_BYTES - 64) {
        close();
        const id = newId();
        await this.deps.db
          .insertInto("realtime_payloads")
          // The wall clock, like the pruning: a dev clock set ahead must not keep rows forever.
          .values({ id, body: text, created_at: new Date().toISOString() })
          .execute();
        payloads.push(JSON.stringify({ o: this.nodeId, r: id } satisfies Notice));
        continue;
      }
      if (size + bytes > NOTIFY_BYTES - 64) close();
      inline.push(envelope);
      size += bytes;
    }
    close();
    const calls = payloads.map((p) => sql`pg_notify(${REALTIME_CHANNEL}, ${p})`);
    await sql`SELECT ${sql.join(calls)}`.execute(this.deps.db);
  }

  private async receive(payload: string): Promise<void> {
    let notice: Notice;
    try {
      notice = JSON.parse(payload) as Notice;
    } catch {
      return;
    }
    if (notice.o === this.nodeId) return;
    try {
      if (notice.e) {
        for (const envelope of notice.e) this.onEnvelope(envelope);
      } else if (notice.r) {
        const row = await this.deps.db
          .selectFrom("realtime_payloads")
          .select("body")
          .where("id", "=", notice.r)
          .executeTakeFirst();
        if (row) this.onEnvelope(JSON.parse(row.body) as Envelope);
      }
    } catch (error) {
      this.deps.log.warn(
        { error: (error as Error).message },
        "realtime bus: a notification could not be handled",
      );
    }
  }
}
