// The SDK for apps: `import { createClient } from "backend"`. Runs in browsers and in Node >= 18
// (only web globals: fetch, URL, URLSearchParams, AbortController, and a WebSocket for channels and
// record feeds, passed in where there is no global one); imports nothing from the server.
export type { AuthApi } from "./auth.js";
export type { Channel, ChannelsApi } from "./channels.js";
export { type BackendClient, type ClientOptions, createClient } from "./client.js";
export { BackendError, isBackendError } from "./errors.js";
export type { Events, EventsApi, PublishedEvent } from "./events.js";
export type { Functions, FunctionsApi, FunctionsTyping, InvokeOptions } from "./functions.js";
export type { FetchLike, FetchResponse } from "./http.js";
export type { RealtimeApi, ReconnectOptions, WebSocketConstructor, WebSocketLike } from "./realtime.js";
export type { RecordsApi } from "./records.js";
export type {
  CatchUp,
  ManualRun,
  NewSchedule,
  Overlap,
  PreviewInput,
  ScheduleChanges,
  ScheduleFilters,
  ScheduleItem,
  SchedulePreview,
  SchedulesApi,
  TickFilters,
  TickItem,
  TickStatus,
} from "./schedules.js";
export type {
  BackendRecord,
  BackendRecord as Record,
  ChannelMessage,
  Comparable,
  DocumentData,
  FieldCondition,
  FieldPath,
  Filter,
  ListOptions,
  LoginInput,
  MemberUser,
  Operators,
  Page,
  PathValue,
  PresenceChange,
  RealtimeStatus,
  RecordChange,
  RecordChanges,
  RecordInput,
  RegisterInput,
  Session,
  Sort,
  SortKey,
  SubscribeOptions,
  SystemFields,
  UpdateMeInput,
  User,
} from "./types.js";
