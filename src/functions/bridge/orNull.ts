// `get` answers null for a missing (or unreadable) document rather than throwing, as functions expect.
import { NotFoundError } from "../../core/errors.js";

export async function orNull<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}
