// The messages one side of the IPC channel sends together go as one write. Every write to the
// channel wakes the other process, and on a small machine that wake-up is most of what a message
// costs; under load the server sends many executions per turn of its event loop and the worker
// answers a batch of them at once, so batching cuts the wake-ups. A lone message goes as it is.
// When the queue is written is the caller's choice (`schedule`): the server waits for the end of
// the turn's I/O (setImmediate), as requests come in separate callbacks; the worker only for the
// promise jobs of the moment (queueMicrotask), as the answers to one batch come together and
// anything later in its turn (building a spare isolate) must not hold an answer back.
// Each message is still sent exactly once, in order; a batch that cannot be serialized (a value
// JSON cannot hold in one of its messages) is sent again message by message, so that only the bad
// message meets its error.

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
    private readonly schedule: (flush: () => void) => void,
  ) {}

  push(message: M): void {
    this.queue.push(message);
    if (this.queue.length === 1) this.schedule(() => this.flush());
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
