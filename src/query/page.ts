// Limit and offset for every listing, with one set of bounds.
import { z } from "zod";

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1000;

export const pageSchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});

export type Page = z.infer<typeof pageSchema>;

export interface PageOf<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
