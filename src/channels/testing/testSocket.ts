// A real WebSocket client for tests: connects to GET /realtime, keeps every frame it receives, and
// waits for frames by condition (never by sleeping).
import WebSocket from "ws";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read frames loosely
export type Frame = { type: string; [key: string]: any };

export class TestSocket {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  private nextRef = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(frame)) return true;
        w.resolve(frame);
        return false;
      });
    });
    this.closed = new Promise((resolve) => {
      ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() }));
    });
  }

  /** Opens a socket to `baseUrl`/realtime (with `?token=` when given) and waits for `connected`. */
  static async open(baseUrl: string, token?: string): Promise<TestSocket> {
    const url = new URL("/realtime", baseUrl.replace(/^http/, "ws"));
    if (token) url.searchParams.set("token", token);
    const ws = new WebSocket(url);
    const socket = new TestSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
      ws.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    await socket.next((f) => f.type === "connected");
    return socket;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** The first frame (already received or still to come) that matches. */
  next(match: (f: Frame) => boolean, timeoutMs = 10_000): Promise<Frame> {
    const found = this.frames.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(-5))}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        match,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      });
    });
  }

  /** Sends `frame` with a fresh ref and resolves with the answer to it (an error frame included). */
  request(frame: Record<string, unknown>): Promise<Frame> {
    const ref = `r${++this.nextRef}`;
    this.send({ ...frame, ref });
    return this.next((f) => f.ref === ref);
  }

  /** The messages received in `channel`, in order. */
  messages(channel: string): Frame[] {
    return this.frames.filter((f) => f.type === "message" && f.channel === channel);
  }

  close(): Promise<{ code: number; reason: string }> {
    this.ws.close();
    return this.closed;
  }
}
