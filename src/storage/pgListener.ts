// LISTEN on PostgreSQL, for the notifications nodes send each other: event wake-ups (a transaction
// that writes deliveries runs pg_notify, delivered only if it commits) and the realtime bus (channel
// messages, presence and record changes). Each listener holds one connection of its own; a lost
// connection is re-opened, and `onNotify()` without a payload then says "you may have missed some".
import pg from "pg";
import type { Logger } from "pino";

const RECONNECT_MS = 1000;

export class PgListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly onNotify: (payload?: string) => void,
    private readonly log: Logger,
    /** What the listener is for, in log lines. */
    private readonly what: string,
  ) {}

  start(): Promise<void> {
    this.stopped = false;
    return this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.url });
    client.on("notification", (message) => {
      if (message.channel === this.channel) this.onNotify(message.payload ?? "");
    });
    client.on("error", (error) => {
      this.log.warn({ error: error.message }, `${this.what}: the LISTEN connection failed; reconnecting`);
      this.retry(client);
    });
    client.on("end", () => this.retry(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      if (this.stopped) {
        await client.end();
        return;
      }
      this.client = client;
      // Whatever was notified while no one listened is found now.
      this.onNotify();
    } catch (error) {
      this.log.warn({ error: (error as Error).message }, `${this.what}: could not LISTEN; retrying`);
      this.retry(client);
    }
  }

  private retry(client: pg.Client): void {
    if (this.stopped || (this.client !== undefined && this.client !== client)) return;
    this.client = undefined;
    client.end().catch(() => {});
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect(), RECONNECT_MS);
    this.timer.unref();
  }
}
