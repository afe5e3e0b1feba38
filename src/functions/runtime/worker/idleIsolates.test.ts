// The idle isolates' bookkeeping: prepared-but-never-called isolates are capped apart from warm
// ones, and a new version retires the idle isolates of the versions it replaced.
import { describe, expect, it } from "vitest";
import { IdleIsolates, MAX_PREPARED } from "./idleIsolates.js";
import type { PooledIsolate } from "./isolatePool.js";

function fake(key: string, prepared = false): PooledIsolate {
  return {
    isolate: { isDisposed: false },
    memoryMb: 128,
    key,
    prepared,
    lastUsed: 0,
  } as unknown as PooledIsolate;
}

function setUp(max = 200) {
  const disposed: string[] = [];
  const idle = new IdleIsolates(60_000, max, (pooled) => disposed.push(pooled.key!));
  return { idle, disposed };
}

describe("idle isolates", () => {
  it("keeps at most MAX_PREPARED prepared isolates, dropping the oldest first", () => {
    const { idle, disposed } = setUp();
    for (let i = 0; i < MAX_PREPARED + 4; i++) idle.park(fake(`f${i}@1#a`, true));
    expect(idle.keys()).toHaveLength(MAX_PREPARED);
    expect(disposed).toEqual(["f0@1#a", "f1@1#a", "f2@1#a", "f3@1#a"]);
    idle.close();
  });

  it("does not count called isolates against the prepared cap", () => {
    const { idle, disposed } = setUp();
    for (let i = 0; i < MAX_PREPARED + 4; i++) idle.park(fake(`warm${i}@1#a`));
    idle.park(fake("new@1#a", true));
    expect(disposed).toEqual([]);
    expect(idle.keys()).toHaveLength(MAX_PREPARED + 5);
    idle.close();
  });

  it("a taken isolate is no longer prepared, so it stays when parked again", () => {
    const { idle, disposed } = setUp();
    idle.park(fake("first@1#a", true));
    const taken = idle.take("first@1#a", 128)!;
    expect(taken.prepared).toBe(false);
    idle.park(taken);
    for (let i = 0; i < MAX_PREPARED + 1; i++) idle.park(fake(`p${i}@1#a`, true));
    expect(idle.keys()).toContain("first@1#a");
    expect(disposed).toEqual(["p0@1#a"]);
    idle.close();
  });

  it("retire drops the other versions of one function only", () => {
    const { idle, disposed } = setUp();
    idle.park(fake("quote@1#a"));
    idle.park(fake("quote@2#b"));
    idle.park(fake("quote/eu@1#c"));
    idle.park(fake("quotes@1#d"));
    idle.retire("quote", "quote@2#b");
    expect(disposed).toEqual(["quote@1#a"]);
    expect(idle.keys().sort()).toEqual(["quote/eu@1#c", "quote@2#b", "quotes@1#d"]);
    idle.close();
  });

  it("past maxWarmIsolates the least recently used goes", () => {
    const { idle, disposed } = setUp(2);
    const a = fake("a@1#a");
    idle.park(a);
    idle.park(fake("b@1#a"));
    idle.park(fake("c@1#a"));
    expect(disposed).toEqual(["a@1#a"]);
    idle.close();
  });
});
