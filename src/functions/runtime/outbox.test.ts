import { describe, expect, it } from "vitest";
import { type BatchMessage, Outbox } from "./outbox.js";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("Outbox", () => {
  function recorder(failBatches = false) {
    const writes: (number | BatchMessage<number>)[] = [];
    const outbox = new Outbox<number>(
      (batch) => {
        if (failBatches && batch.messages.includes(13)) throw new Error("could not be cloned");
        writes.push({ type: "batch", messages: [...batch.messages] });
      },
      (message) => writes.push(message),
      setImmediate,
    );
    return { outbox, writes };
  }

  it("sends the messages of one turn as one batch, in order, once the turn is done", async () => {
    const { outbox, writes } = recorder();
    outbox.push(1);
    outbox.push(2);
    outbox.push(3);
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual([{ type: "batch", messages: [1, 2, 3] }]);
    outbox.push(4);
    outbox.push(5);
    await nextTurn();
    expect(writes).toEqual([
      { type: "batch", messages: [1, 2, 3] },
      { type: "batch", messages: [4, 5] },
    ]);
  });

  it("sends a lone message as it is", async () => {
    const { outbox, writes } = recorder();
    outbox.push(7);
    await nextTurn();
    expect(writes).toEqual([7]);
  });

  it("sends a batch that cannot be serialized message by message, each exactly once", async () => {
    const { outbox, writes } = recorder(true);
    outbox.push(12);
    outbox.push(13);
    outbox.push(14);
    await nextTurn();
    expect(writes).toEqual([12, 13, 14]);
  });
});
