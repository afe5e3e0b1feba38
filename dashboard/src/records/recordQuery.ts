// A records view lives in the URL (/records/tasks?filter=...&sort=-n&limit=20&offset=40), so a view
// can be linked and back/forward walk through the filters tried. This reads and writes that query.
import type { RecordTextQuery } from "../../../src/sdk/index.js";
import { pathWithQuery } from "../router/pathWithQuery.js";

/** A view's query, every part set: the filter as typed (the API judges it), the sort, the page. */
export type RecordQuery = Required<RecordTextQuery>;

export const PAGE_SIZES = [10, 20, 50, 100] as const;
export const DEFAULT_LIMIT = 20;

export function queryOf(params: URLSearchParams): RecordQuery {
  const limit = Number(params.get("limit"));
  const offset = Number(params.get("offset"));
  return {
    filter: params.get("filter") ?? "",
    sort: params.get("sort") ?? "",
    limit: Number.isInteger(limit) && limit > 0 ? limit : DEFAULT_LIMIT,
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
  };
}

/** The query string of a view ("" for the plain first page), defaults left out. */
export function searchOf(query: RecordQuery): string {
  return pathWithQuery("", {
    filter: query.filter.trim(),
    sort: query.sort.trim(),
    limit: query.limit === DEFAULT_LIMIT ? undefined : query.limit,
    offset: query.offset,
  });
}

export function collectionPath(collection: string, query?: RecordQuery): string {
  return `/records/${encodeURIComponent(collection)}${query ? searchOf(query) : ""}`;
}

export function recordPath(collection: string, id: string, query?: RecordQuery): string {
  return `/records/${encodeURIComponent(collection)}/${encodeURIComponent(id)}${query ? searchOf(query) : ""}`;
}

/** The first sort key as a field and a direction, for the form. */
export function sortParts(sort: string): { field: string; descending: boolean } {
  const trimmed = sort.trim();
  return { field: trimmed.replace(/^[-+]/, ""), descending: trimmed.startsWith("-") };
}

export function sortOf(field: string, descending: boolean): string {
  const trimmed = field.trim();
  if (trimmed === "") return "";
  return descending ? `-${trimmed}` : trimmed;
}
