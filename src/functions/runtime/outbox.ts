// The messages one side of the IPC channel sends in one turn of its event loop go as one write.
// Every write to the channel wakes the other process, and on a small machine that wake-up is most
// of what a message costs; under load the server sends many executions per turn and the worker
// answers many, so batching them cuts the wake-ups to one per turn. A lone message goes as it is.
// Each message is still sent exactly once, in order; a batch that cannot be serialized (one of its
// messages holds a value the channel cannot clone) is sent again message by message, so that only
// the bad message meets its error.

/** Several messages sent as one. */
export interface BatchMessage<M> {
  type: "batch";
  messages: M[];
}

export class Outbox<M> {
  private queue: M[] = [];

  /**
   * @param sendBatch writes a batch; throws when it cannot be serialized
   * @param sendOne writes one message, handling its own errors
   */
  constructor(
    private readonly sendBatch: (batch: BatchMessage<M>) => void,
    private readonly sendOne: (message: M) => void,
  ) {}

  push(message: M): void {
    this.queue.push(message);
    if (this.queue.length === 1) setImmediate(() => this.flush());
  }

  /** Sends what is queued now. */
  flush(): void {
    const messages = this.queue;
    if (messages.length === 0) return;
    this.queue = [];
    if (messages.length === 1) {
      this.sendOne(messages[0]!);
      return;
    }
    try {
      this.sendBatch({ type: "batch", messages });
    } catch {
      for (const message of messages) this.sendOne(message);
    }
  }
}
