// The record event types (payloads are documented in docs/records.md).
export const RECORD_EVENTS = {
  preCreate: "PRE_RECORD_CREATE",
  postCreate: "POST_RECORD_CREATE",
  preUpdate: "PRE_RECORD_UPDATE",
  postUpdate: "POST_RECORD_UPDATE",
  preDelete: "PRE_RECORD_DELETE",
  postDelete: "POST_RECORD_DELETE",
} as const;
