// The entry gate lets a few executions into their isolates at a time, and never lets one that
// waits (on I/O) hold its slot for longer than SLOT_MS.
import { describe, expect, it, vi } from "vitest";
import { EntryGate } from "./entryGate.js";

function deferred() {
  let resolve!: (value: string) => void;
  const promise = new Promise<string>((r) => (resolve = r));
  return { promise, resolve };
}

describe("entry gate", () => {
  it("lets `slots` executions in at once and queues the rest", async () => {
    const gate = new EntryGate(2);
    const started: number[] = [];
    const calls = [deferred(), deferred(), deferred()];
    const runs = calls.map((call, i) =>
      gate.run(() => {
        started.push(i);
        return call.promise;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(gate.queued).toBe(1);
    calls[0]!.resolve("a");
    await vi.waitFor(() => expect(started).toEqual([0, 1, 2]));
    calls[1]!.resolve("b");
    calls[2]!.resolve("c");
    expect(await Promise.all(runs)).toEqual(["a", "b", "c"]);
    expect(gate.queued).toBe(0);
  });

  it("gives a slot back after SLOT_MS even while the call is still waiting", async () => {
    const gate = new EntryGate(1);
    const slow = deferred();
    const first = gate.run(() => slow.promise);
    let secondRan = false;
    const second = gate.run(async () => {
      secondRan = true;
      return "second";
    });
    // The first call never returns until told to: the second still gets in.
    await vi.waitFor(() => expect(secondRan).toBe(true), { timeout: 2_000, interval: 1 });
    expect(await second).toBe("second");
    slow.resolve("first");
    expect(await first).toBe("first");
    // Both slots' worth were given back exactly once: a third call goes straight in.
    let thirdRan = false;
    void gate.run(async () => {
      thirdRan = true;
    });
    await Promise.resolve();
    expect(thirdRan).toBe(true);
  });

  it("a call that throws gives its slot back", async () => {
    const gate = new EntryGate(1);
    await expect(gate.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await gate.run(async () => "next")).toBe("next");
  });
});
