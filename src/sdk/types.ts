// The shapes the SDK sends and receives, typed so the editor teaches the API: records carry their
// system fields, filters know the operators and the fields of your record type, and dates may be
// given as `Date` (they travel as ISO-8601 strings, which the server compares as instants).

/** Any JSON document: what a record holds when you do not give it a type. */
export type DocumentData = { [field: string]: unknown };

/** Fields the server sets on every record; sent in a body, they are ignored. */
export interface SystemFields {
  id: string;
  /** The user who created the record; null when the admin key created it. */
  ownerId: string | null;
  /** ISO-8601 date-time. */
  createdAt: string;
  /** ISO-8601 date-time. */
  updatedAt: string;
}

/** A stored record: your fields plus the system fields. Exported as `Record` too. */
export type BackendRecord<T extends object = DocumentData> = T & SystemFields;

/** A write's fields: your fields without the system fields. */
export type RecordInput<T extends object> = Omit<T, keyof SystemFields>;

/** A PATCH: top-level fields to merge; `null` removes a field. */
export type RecordChanges<T extends object> = { [K in keyof RecordInput<T>]?: RecordInput<T>[K] | null };

/** One page of a listing. */
export interface Page<T> {
  items: T[];
  /** How many match the filter, across all pages. */
  total: number;
  limit: number;
  offset: number;
}

// ---- Filters -----------------------------------------------------------------------------------

type Depth = [never, 0, 1, 2, 3];

/** Field paths of T, with `.` into nested objects (up to four levels): "status", "address.city". */
export type FieldPath<T, D extends number = 4> = [D] extends [never]
  ? never
  : {
      [K in keyof T & string]: NonNullable<T[K]> extends infer V
        ? V extends readonly unknown[] | Date
          ? K
          : V extends object
            ? K | `${K}.${FieldPath<V, Depth[D]>}`
            : K
        : never;
    }[keyof T & string];

/** The type found at a field path of T. */
export type PathValue<T, P extends string> = P extends keyof T
  ? T[P]
  : P extends `${infer Head}.${infer Rest}`
    ? Head extends keyof T
      ? PathValue<NonNullable<T[Head]>, Rest>
      : unknown
    : unknown;

/** What a field's value may be compared with: strings (often dates) also accept a `Date`. */
export type Comparable<V> = V extends Date ? Date | string : V extends string ? V | Date : V;

type Ordered<V> = Extract<Comparable<V>, string | number | Date>;

/** Operators on one field, as in MongoDB. `$ne` and `$nin` also match records missing the field. */
export interface Operators<V> {
  $eq?: Comparable<V> | null;
  $ne?: Comparable<V> | null;
  $lt?: Ordered<V>;
  $lte?: Ordered<V>;
  $gt?: Ordered<V>;
  $gte?: Ordered<V>;
  $in?: readonly (Comparable<V> | null)[];
  $nin?: readonly (Comparable<V> | null)[];
  $exists?: boolean;
}

/** A condition on one field: a value to equal, or operators. Untyped fields accept anything. */
export type FieldCondition<V> = unknown extends V ? unknown : Comparable<V> | null | Operators<V>;

/**
 * A filter over records of type T, e.g.
 * `{ status: "open", dueAt: { $lte: new Date() }, $or: [{ plan: "pro" }, { seats: { $gt: 5 } }] }`.
 */
export type Filter<T extends object = DocumentData> = {
  [P in FieldPath<T & SystemFields>]?: FieldCondition<PathValue<T & SystemFields, P>>;
} & {
  $and?: readonly Filter<T>[];
  $or?: readonly Filter<T>[];
};

type RecordPath<T extends object> = FieldPath<T & SystemFields>;

/** A sort key: a field path, `-` in front for descending. */
export type SortKey<T extends object = DocumentData> = RecordPath<T> | `-${RecordPath<T>}`;

/** Sort by one key or several in order (ties are broken by id). */
export type Sort<T extends object = DocumentData> = SortKey<T> | readonly SortKey<T>[];

export interface ListOptions<T extends object = DocumentData> {
  filter?: Filter<T>;
  sort?: Sort<T>;
  /** 1..1000, default 50. */
  limit?: number;
  offset?: number;
}

// ---- Users -------------------------------------------------------------------------------------

/** The signed-in user. Extra fields (e.g. `isPaid`) are set by admins and functions. */
export interface User {
  id: string;
  email: string;
  role: "user" | "admin";
  full_name: string | null;
  createdAt: string;
  updatedAt: string;
  [extra: string]: unknown;
}

export interface Session<U extends User = User> {
  user: U;
  token: string;
}

export interface RegisterInput {
  email: string;
  /** 8 to 200 characters. */
  password: string;
  full_name?: string;
}

export interface LoginInput {
  email: string;
  password: string;
}

export interface UpdateMeInput {
  full_name?: string;
  /** A new password; needs `currentPassword`, and signs out the user's other sessions. */
  password?: string;
  currentPassword?: string;
}

// ---- Channels and record feeds -----------------------------------------------------------------

/** Who sent a message or is in a channel: the id and email of their session, never of the frame. */
export interface MemberUser {
  id: string;
  email: string;
}

/** A message in a channel, as every member receives it. */
export interface ChannelMessage<M = unknown> {
  /** The server's id for the message; the SDK delivers each id once. */
  id: string;
  channel: string;
  message: M;
  /** null when an admin, a server or a function sent it. */
  user: MemberUser | null;
  /** ISO-8601 date-time. */
  timestamp: string;
}

/** Someone arrived in or left a channel whose rule turns presence on. */
export interface PresenceChange {
  channel: string;
  op: "joined" | "left";
  user: MemberUser;
}

/** A record written in a collection you subscribed to. */
export interface RecordChange<T extends object = DocumentData> {
  op: "create" | "update" | "delete";
  collection: string;
  /** The record as written; for a delete, as it was. */
  record: BackendRecord<T>;
  /** The record before an update. */
  previous?: BackendRecord<T>;
}

/** Which changes a record feed carries: one record's, or those matching a filter (or both). */
export interface SubscribeOptions<T extends object = DocumentData> {
  id?: string;
  filter?: Filter<T>;
}

/** The realtime socket: "connecting" also covers waiting to reconnect; "closed" is not trying. */
export type RealtimeStatus = "connecting" | "open" | "closed";
