// client.admin.collections: the record collections that exist and who may read their records
// (GET /api/collections, PUT /api/collections/:name).
import type { Transport } from "../http.js";

/** owner: only the record's owner; users: any signed-in user; public: anyone. */
export type ReadRule = "owner" | "users" | "public";

export interface Collection {
  name: string;
  read: ReadRule;
  createdAt: string;
}

export interface AdminCollectionsApi {
  list(): Promise<Collection[]>;
  /** Sets who may read a collection's records (creating the collection if needed). */
  setRule(name: string, read: ReadRule): Promise<Collection>;
}

export function adminCollectionsApi(http: Transport): AdminCollectionsApi {
  return {
    list: async () => (await http.request<{ items: Collection[] }>("GET", "/api/collections")).items,
    setRule: (name, read) =>
      http.request("PUT", `/api/collections/${encodeURIComponent(name)}`, { body: { read } }),
  };
}
