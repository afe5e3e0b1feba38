// Cross-node wake-ups on PostgreSQL: a transaction that writes deliveries also runs
// pg_notify(WAKE_CHANNEL) (delivered only if it commits); every node LISTENs on one connection of its
// own and wakes its dispatcher. A lost connection is re-opened; meanwhile polling covers.
import pg from "pg";
import type { Logger } from "pino";

export const WAKE_CHANNEL = "backend_deliveries";
const RECONNECT_MS = 1000;

export class WakeListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly onWake: () => void,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    void this.connect();
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
    client.on("notification", () => this.onWake());
    client.on("error", (error) => {
      this.log.warn({ error: error.message }, "event wake-ups: the LISTEN connection failed; reconnecting");
      this.retry(client);
    });
    client.on("end", () => this.retry(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${WAKE_CHANNEL}`);
      if (this.stopped) {
        await client.end();
        return;
      }
      this.client = client;
      // Whatever was notified while no one listened is found now.
      this.onWake();
    } catch (error) {
      this.log.warn(
        { error: (error as Error).message },
        "event wake-ups: could not LISTEN; polling until it can",
      );
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
