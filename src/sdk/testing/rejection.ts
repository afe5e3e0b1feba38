// Test helper: the BackendError a promise rejects with (the test fails if it resolves, or rejects
// with anything else).
import { expect } from "vitest";
import { BackendError } from "../errors.js";

export async function rejection(promise: Promise<unknown>): Promise<BackendError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackendError);
  return error as BackendError;
}
