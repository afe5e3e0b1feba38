import { describe, expect, it } from "vitest";
import { inputFromWire, inputToWire, outcomeFromWire, outcomeToWire } from "./wire.js";

const everyByte = new Uint8Array(Array.from({ length: 256 }, (_, i) => i));

/** Through JSON, as the IPC channel carries it. */
const overChannel = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe("the IPC wire format", () => {
  it("carries a request body of any bytes as base64 and gives back a plain Uint8Array", () => {
    const input = {
      trigger: "http" as const,
      caller: null,
      request: {
        method: "POST",
        url: "http://x/functions/f",
        headers: [["a", "b"]] as [string, string][],
        body: everyByte,
      },
    };
    const back = inputFromWire(overChannel(inputToWire(input)));
    expect(back.request?.body).toEqual(everyByte);
    expect(Object.getPrototypeOf(back.request?.body)).toBe(Uint8Array.prototype);
    expect({ ...back, request: { ...back.request, body: undefined } }).toEqual({
      ...input,
      request: { ...input.request, body: undefined },
    });
  });

  it("leaves a request without a body, and an input without a request, as they are", () => {
    const bodiless = {
      trigger: "http" as const,
      caller: null,
      request: { method: "GET", url: "http://x/", headers: [] },
    };
    expect(inputFromWire(overChannel(inputToWire(bodiless)))).toEqual(bodiless);
    const call = { trigger: "call" as const, caller: null, payload: { n: 1 } };
    expect(inputFromWire(overChannel(inputToWire(call)))).toEqual(call);
  });

  it("carries a Response body of any bytes, and an outcome without a Response as it is", () => {
    const base = { logs: [], logsTruncated: false, durationMs: 1, resultSize: 256 };
    const outcome = {
      status: "success" as const,
      ...base,
      response: { status: 200, headers: [], body: everyByte },
    };
    const back = outcomeFromWire(overChannel(outcomeToWire(outcome)));
    expect(back.response?.body).toEqual(everyByte);
    expect(back).toEqual(outcome);
    const plain = { status: "success" as const, ...base, result: { ok: true } };
    expect(outcomeFromWire(overChannel(outcomeToWire(plain)))).toEqual(plain);
  });
});
