// The SDK for apps: `import { createClient } from "backend"`. Runs in browsers and in Node >= 18
// (only web globals: fetch, URL, URLSearchParams, AbortController, and a WebSocket for channels and
// record feeds, passed in where there is no global one); imports nothing from the server.
export type { AdminApi } from "./admin/index.js";
export {
  type AdminChannelsApi,
  type ChannelMember,
  type ChannelSummary,
  type SendOptions,
} from "./admin/channels.js";
export type { AdminCollectionsApi, Collection, ReadRule } from "./admin/collections.js";
export {
  type AdminDeliveriesApi,
  DELIVERY_STATUSES,
  type Delivery,
  type DeliveryDetail,
  type DeliveryFilters,
  type DeliveryPage,
  type DeliveryStatus,
} from "./admin/deliveries.js";
export {
  type AdminEmailsApi,
  EMAIL_STATUSES,
  type EmailFilters,
  type EmailItem,
  type EmailStatus,
} from "./admin/emails.js";
export type {
  AdminEventsApi,
  EventFilters,
  EventType,
  StoredEvent,
  StoredEventWithDeliveries,
} from "./admin/events.js";
export {
  type AdminExecutionsApi,
  type Cause,
  type CutText,
  EXECUTION_STATUSES,
  type Execution,
  type ExecutionFilters,
  type ExecutionLog,
  type ExecutionStatus,
  type ExecutionWithLogs,
  isCut,
  type KeptHttp,
  type KeptInput,
  type KeptResult,
  type LogLevel,
  type Trigger,
  TRIGGERS,
} from "./admin/executions.js";
export type {
  AdminFunctionsApi,
  DeployResult,
  EventTrigger,
  FunctionAccess,
  FunctionConfig,
  FunctionDetail,
  FunctionForm,
  FunctionItem,
  FunctionSource,
  LastRun,
  RollbackResult,
  ScheduleTrigger,
  SourceFiles,
  TestRun,
  TestRunInput,
  VersionItem,
  VersionList,
} from "./admin/functions.js";
export type { AdminLogsApi, FollowOptions, LogFilters, LogLine } from "./admin/logs.js";
export type { AdminRecordsApi, RecordTextQuery } from "./admin/records.js";
export type { AdminSecretsApi, SecretItem, SetSecretResult } from "./admin/secrets.js";
export type {
  AdminSubscriptionsApi,
  NewSubscription,
  Subscription,
  SubscriptionSettings,
} from "./admin/subscriptions.js";
export type { AdminTracesApi, Trace, TraceKind, TraceNode } from "./admin/traces.js";
export { type AdminUsersApi, type NewUser, type Role, ROLES, type UserQuery } from "./admin/users.js";
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
