// The event catalogue (SPEC §4): every system event type with its phase, seed 000's aliases, a
// description and the fields of its payload. Names are canonical once they pass `canonicalType`:
// aliases and any casing of a system name become the seed 002 spelling; any other name that fits the
// pattern is a custom event, kept as written.
import { ValidationError } from "../core/errors.js";

export type Phase = "PRE" | "POST";

export interface SystemEventType {
  type: string;
  phase: Phase;
  aliases: string[];
  description: string;
  /** Field -> what it holds. */
  payload: Record<string, string>;
}

const USER = {
  user_id: "The user's id",
  email: "The user's email",
  user: "The user document: id, email, role, full_name, your extra fields, createdAt, updatedAt",
};
const RECORD = {
  collection: "The collection's name",
  record: "The record: id, ownerId, createdAt, updatedAt and its fields",
  user_id: "Who wrote it: the user's id, null for the admin key",
};
const CHANNEL = {
  channel: "The channel's name",
  user: "Who sent it: { id, email }, from the server's session; null when an admin, a server or a function sent it",
  message: "The message as sent (any JSON); a PRE handler may return it changed",
  timestamp: "When the server received it (ISO-8601)",
  id: "The message's id, the same one members receive",
};

export const SYSTEM_EVENTS: readonly SystemEventType[] = [
  {
    type: "PRE_USER_CREATE",
    phase: "PRE",
    aliases: [],
    description: "Before a new user is created (sign-up or admin); may block it or change its fields",
    payload: {
      email: "The new user's email (a handler may return it changed)",
      full_name: "Their name, or null",
      role: "Only when an admin sets it",
      "...": "Extra fields an admin sends",
    },
  },
  {
    type: "POST_USER_CREATE",
    phase: "POST",
    aliases: ["user_registered"],
    description: "After a new user is created",
    payload: USER,
  },
  {
    type: "PRE_USER_UPDATE",
    phase: "PRE",
    aliases: [],
    description: "Before a user is updated; may block it or change the changes",
    payload: {
      user_id: "The user's id",
      changes: "The fields being set (null removes an extra field); a handler may return them changed",
    },
  },
  {
    type: "POST_USER_UPDATE",
    phase: "POST",
    aliases: [],
    description: "After a user is updated",
    payload: {
      user_id: USER.user_id,
      user: "The user document after the change",
      changes: "The fields that were set",
      previous: "The user document before the change",
    },
  },
  {
    type: "PRE_USER_DELETE",
    phase: "PRE",
    aliases: [],
    description: "Before a user is deleted; may block it",
    payload: { user_id: USER.user_id, user: USER.user },
  },
  {
    type: "POST_USER_DELETE",
    phase: "POST",
    aliases: [],
    description: "After a user is deleted",
    payload: { user_id: USER.user_id, user: USER.user },
  },
  {
    type: "POST_LOGIN",
    phase: "POST",
    aliases: ["user_login"],
    description: "After a successful login",
    payload: USER,
  },
  {
    type: "POST_LOGOUT",
    phase: "POST",
    aliases: [],
    description: "After a user logs out",
    payload: { user_id: "The user's id" },
  },
  {
    type: "POST_PASSWORD_RESET",
    phase: "POST",
    aliases: [],
    description: "After a password was reset with an emailed link",
    payload: { user_id: "The user's id", email: "The user's email" },
  },
  {
    type: "PRE_RECORD_CREATE",
    phase: "PRE",
    aliases: [],
    description: "Before a record is created; may block it or change its fields",
    payload: RECORD,
  },
  {
    type: "POST_RECORD_CREATE",
    phase: "POST",
    aliases: ["doc_created"],
    description: "After a record is created",
    payload: RECORD,
  },
  {
    type: "PRE_RECORD_UPDATE",
    phase: "PRE",
    aliases: [],
    description: "Before a record is updated; may block it or change the changes",
    payload: {
      collection: RECORD.collection,
      id: "The record's id",
      changes: "The fields being set (null removes a field)",
      previous: "The record before the change",
      user_id: RECORD.user_id,
    },
  },
  {
    type: "POST_RECORD_UPDATE",
    phase: "POST",
    aliases: ["doc_updated"],
    description: "After a record is updated",
    payload: {
      ...RECORD,
      changes: "The fields that were set",
      previous: "The record before the change",
    },
  },
  {
    type: "PRE_RECORD_DELETE",
    phase: "PRE",
    aliases: [],
    description: "Before a record is deleted; may block it",
    payload: RECORD,
  },
  {
    type: "POST_RECORD_DELETE",
    phase: "POST",
    aliases: ["doc_deleted"],
    description: "After a record is deleted",
    payload: RECORD,
  },
  {
    type: "PRE_CHANNEL_JOIN",
    phase: "PRE",
    aliases: [],
    description:
      "Before a client joins a realtime channel; may refuse it, and admits members to private channels by returning { allow: true }",
    payload: {
      channel: "The channel's name",
      user: "Who is joining: { id, email } from the server's session, or null when signed out",
      access: "The channel's join rule: public, users or private",
    },
  },
  {
    type: "PRE_CHANNEL_MESSAGE",
    phase: "PRE",
    aliases: [],
    description: "Before a message sent in a realtime channel reaches its members; may block or rewrite it",
    payload: CHANNEL,
  },
  {
    type: "POST_CHANNEL_MESSAGE",
    phase: "POST",
    aliases: ["chan_in"],
    description: "After a message was sent in a realtime channel",
    payload: CHANNEL,
  },
];

const BY_NAME = new Map<string, SystemEventType>();
for (const event of SYSTEM_EVENTS) {
  BY_NAME.set(event.type.toLowerCase(), event);
  for (const alias of event.aliases) BY_NAME.set(alias.toLowerCase(), event);
}

const NAME = /^[A-Za-z][A-Za-z0-9_.:-]*$/;
const MAX_NAME = 100;

/** The system event a name means (canonical, alias, any casing), if any. */
export function systemEvent(name: string): SystemEventType | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** The canonical name for any accepted spelling; throws a 400 for a name that is not one. */
export function canonicalType(name: unknown): string {
  if (typeof name !== "string" || !NAME.test(name) || name.length > MAX_NAME) {
    throw new ValidationError(
      `'${String(name).slice(0, 100)}' is not an event type: use a system type such as POST_USER_CREATE ` +
        `(or an alias such as user_registered) or a name of your own such as order_placed ` +
        `(letters, digits, _ . : -, starting with a letter, at most ${MAX_NAME} characters)`,
    );
  }
  return systemEvent(name)?.type ?? name;
}

export function isPre(type: string): boolean {
  return systemEvent(type)?.phase === "PRE";
}
