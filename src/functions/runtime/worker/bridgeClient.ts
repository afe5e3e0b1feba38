// The worker's end of the `backend.*` bridge: each call goes to the server as a `bridge` message and
// waits for its `bridge-result`. Answers are JSON envelopes for the isolate; nothing here rejects.
import type { BridgeMessage, BridgeResultMessage } from "../protocol.js";

type Envelope = { ok: true; value?: unknown } | { ok: false; message: string; code?: string };

export class BridgeClient {
  private nextId = 1;
  private readonly pending = new Map<number, { executionId: string; resolve(e: Envelope): void }>();

  constructor(private readonly send: (message: BridgeMessage) => void) {}

  /** Runs `op` on the server for this execution; answers the JSON envelope the prelude parses. */
  async call(executionId: string, op: string, args: unknown[], as: "service" | "caller"): Promise<string> {
    const callId = this.nextId++;
    const envelope = await new Promise<Envelope>((resolve) => {
      this.pending.set(callId, { executionId, resolve });
      try {
        this.send({ type: "bridge", executionId, callId, op, args, as });
      } catch (error) {
        this.pending.delete(callId);
        resolve({ ok: false, message: `The backend call could not be sent: ${(error as Error).message}` });
      }
    });
    try {
      return JSON.stringify(envelope);
    } catch (error) {
      return JSON.stringify({
        ok: false,
        message: `The answer of ${op} is not JSON: ${(error as Error).message}`,
      });
    }
  }

  settle(message: BridgeResultMessage): void {
    const entry = this.pending.get(message.callId);
    if (!entry) return;
    this.pending.delete(message.callId);
    entry.resolve(
      message.ok
        ? { ok: true, value: message.value }
        : {
            ok: false,
            message: message.error?.message ?? "The backend call failed",
            ...(message.error?.code ? { code: message.error.code } : {}),
          },
    );
  }

  /** Whether a call of this execution still waits for the server. */
  hasPending(executionId: string): boolean {
    for (const entry of this.pending.values()) if (entry.executionId === executionId) return true;
    return false;
  }

  /** The execution ended: its calls still waiting get an error answer (nobody reads it). */
  abandon(executionId: string): void {
    if (this.pending.size === 0) return;
    for (const [id, entry] of this.pending) {
      if (entry.executionId !== executionId) continue;
      this.pending.delete(id);
      entry.resolve({ ok: false, message: "The execution has ended" });
    }
  }
}
