// client.admin: the platform's admin calls, for a client made with the admin key or an admin user's
// token (anyone else gets BackendError 403, a missing token 401): functions and their runs, logs and
// traces, events and their deliveries, emails, secrets, users, collections and channels. The
// dashboard is built on these; so can your scripts:
//   const admin = createClient({ url, token: process.env.BACKEND_ADMIN_KEY }).admin;
//   const failed = await admin.executions.list({ status: "error", since: new Date(Date.now() - 3_600_000) });
// Each area is one file here, with its types as the server answers them.
import type { Transport } from "../http.js";
import { type AdminChannelsApi, adminChannelsApi } from "./channels.js";
import { type AdminCollectionsApi, adminCollectionsApi } from "./collections.js";
import { type AdminDeliveriesApi, adminDeliveriesApi } from "./deliveries.js";
import { type AdminEmailsApi, adminEmailsApi } from "./emails.js";
import { type AdminEventsApi, adminEventsApi } from "./events.js";
import { type AdminExecutionsApi, adminExecutionsApi } from "./executions.js";
import { type AdminFunctionsApi, adminFunctionsApi } from "./functions.js";
import { type AdminLogsApi, adminLogsApi } from "./logs.js";
import { type AdminRecordsApi, adminRecordsApi } from "./records.js";
import { type AdminSecretsApi, adminSecretsApi } from "./secrets.js";
import { type AdminSubscriptionsApi, adminSubscriptionsApi } from "./subscriptions.js";
import { type AdminTracesApi, adminTracesApi } from "./traces.js";
import { type AdminUsersApi, adminUsersApi } from "./users.js";

export interface AdminApi {
  /** Deployed functions: list, read, versions, deploy, test-run, roll back, delete. */
  readonly functions: AdminFunctionsApi;
  /** Every run of a function, and one with its logs. */
  readonly executions: AdminExecutionsApi;
  /** Log lines across runs, and a live follow. */
  readonly logs: AdminLogsApi;
  /** The causal chain around a request, event, delivery, execution or tick. */
  readonly traces: AdminTracesApi;
  /** The event catalogue and stored events, with replays. */
  readonly events: AdminEventsApi;
  /** Which functions run for which event types. */
  readonly subscriptions: AdminSubscriptionsApi;
  /** Each event handed to each subscribed function, with replays. */
  readonly deliveries: AdminDeliveriesApi;
  /** The email outbox. */
  readonly emails: AdminEmailsApi;
  /** Secrets' names; set and delete. */
  readonly secrets: AdminSecretsApi;
  /** Every account: query, create, change, delete. */
  readonly users: AdminUsersApi;
  /** Collections and who may read them. */
  readonly collections: AdminCollectionsApi;
  /** Records with a filter written as text. */
  readonly records: AdminRecordsApi;
  /** Channels with members, who is in one, and sending as the admin. */
  readonly channels: AdminChannelsApi;
}

export function adminApi(http: Transport): AdminApi {
  return {
    functions: adminFunctionsApi(http),
    executions: adminExecutionsApi(http),
    logs: adminLogsApi(http),
    traces: adminTracesApi(http),
    events: adminEventsApi(http),
    subscriptions: adminSubscriptionsApi(http),
    deliveries: adminDeliveriesApi(http),
    emails: adminEmailsApi(http),
    secrets: adminSecretsApi(http),
    users: adminUsersApi(http),
    collections: adminCollectionsApi(http),
    records: adminRecordsApi(http),
    channels: adminChannelsApi(http),
  };
}
