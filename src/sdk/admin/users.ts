// client.admin.users: every account, found with the filter language of records, created, read,
// changed (any field: role, extra fields; null removes an extra field) and deleted
// (POST /api/users/query, /api/users, GET/PATCH/DELETE /api/users/:id).
import type { Transport } from "../http.js";
import type { Filter, Page, Sort, User } from "../types.js";

export type Role = User["role"];
export const ROLES: readonly Role[] = ["user", "admin"];

export interface UserQuery<U extends User = User> {
  /** The filter language of records: { role: "admin", email: { $gte: "a" } }. */
  filter?: Filter<U>;
  /** "-createdAt", or keys such as ["role", "-createdAt"]; "-" means descending. */
  sort?: Sort<U>;
  /** 1..1000, default 50. */
  limit?: number;
  offset?: number;
}

export interface NewUser {
  email: string;
  /** 8 to 200 characters. */
  password: string;
  role?: Role;
  full_name?: string | null;
  /** Extra fields, e.g. isPaid. */
  [field: string]: unknown;
}

export interface AdminUsersApi {
  /** Users matching the filter (sent in a POST body, so it may be long); `total` counts every match. */
  list<U extends User = User>(query?: UserQuery<U>): Promise<Page<U>>;
  get<U extends User = User>(id: string): Promise<U>;
  /** Creates an account (the POST_USER_CREATE handlers run). An email already taken -> 409. */
  create<U extends User = User>(user: NewUser): Promise<U>;
  /** Top-level fields are merged; null removes an extra field. */
  update<U extends User = User>(id: string, changes: { [field: string]: unknown }): Promise<U>;
  delete(id: string): Promise<void>;
}

export function adminUsersApi(http: Transport): AdminUsersApi {
  const path = (id: string) => `/api/users/${encodeURIComponent(id)}`;
  return {
    list: (query = {}) => http.request("POST", "/api/users/query", { body: query }),
    get: (id) => http.request("GET", path(id)),
    create: (user) => http.request("POST", "/api/users", { body: user }),
    update: (id, changes) => http.request("PATCH", path(id), { body: changes }),
    delete: (id) => http.request("DELETE", path(id)),
  };
}
