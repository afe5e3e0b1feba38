import { describe, expect, it } from "vitest";
import type { FunctionCode } from "../types.js";
import { CodeStore } from "./codeStore.js";

const fn = (key: string, code: string, sourceMap?: string): FunctionCode => ({
  name: "f",
  version: 1,
  key,
  code,
  form: "default",
  ...(sourceMap === undefined ? {} : { sourceMap }),
});

describe("the worker's code store", () => {
  it("fills in a kept version's code and source map by key", () => {
    const store = new CodeStore();
    store.keep(fn("a@1", "code a", "map a"));
    const sent: Partial<FunctionCode> & { key: string } = { key: "a@1", name: "f" };
    expect(store.fill(sent)).toBe(true);
    expect(sent).toMatchObject({ code: "code a", sourceMap: "map a" });
    expect(store.fill({ key: "b@1" })).toBe(false);
  });

  it("lets the least recently used versions go past its size in characters", () => {
    const store = new CodeStore(10);
    store.keep(fn("a", "aaaa"));
    store.keep(fn("b", "bbbb"));
    expect(store.fill({ key: "a" })).toBe(true);
    store.keep(fn("c", "cccc"));
    expect(store.fill({ key: "b" })).toBe(false);
    expect(store.fill({ key: "a" })).toBe(true);
    expect(store.fill({ key: "c" })).toBe(true);
  });
});
