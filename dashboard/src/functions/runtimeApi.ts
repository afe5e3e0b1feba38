// The globals a function sees, as a tree for the editor's completion: `backend.*`, `env`, `Deno.*`,
// and the handler's `context.*`. Mirrors src/cli/types/runtimeDeclarations.ts (the .d.ts users get
// from `backend types generate`); keep the two in step when the runtime grows.
export interface ApiMember {
  label: string;
  type: "function" | "method" | "property" | "namespace" | "variable";
  /** The signature, shown next to the name. */
  detail?: string;
  /** One line on what it does. */
  info?: string;
  members?: ApiMember[];
  /** Members reached through any key, e.g. `entities.Task.` */
  anyKey?: ApiMember[];
}

const recordOperations: ApiMember[] = [
  {
    label: "query",
    type: "method",
    detail: "(collection, filter?, options?) => records[]",
    info: "The records of a collection that match the filter (MongoDB-style operators).",
  },
  { label: "get", type: "method", detail: "(collection, id) => record | null", info: "One record, or null." },
  {
    label: "create",
    type: "method",
    detail: "(collection, data) => record",
    info: "Stores a new record and answers it with its id and dates.",
  },
  {
    label: "update",
    type: "method",
    detail: "(collection, id, changes) => record",
    info: "Merges top-level fields into a record (null removes a field).",
  },
  { label: "delete", type: "method", detail: "(collection, id) => true", info: "Deletes a record." },
  {
    label: "count",
    type: "method",
    detail: "(collection, filter?) => number",
    info: "How many records match the filter.",
  },
];

const entityOperations: ApiMember[] = [
  { label: "list", type: "method", detail: "(sort?, limit?, offset?) => records[]" },
  { label: "filter", type: "method", detail: "(filter?, sort?, limit?, offset?) => records[]" },
  { label: "get", type: "method", detail: "(id) => record | null" },
  { label: "create", type: "method", detail: "(data) => record" },
  { label: "update", type: "method", detail: "(id, changes) => record" },
  { label: "delete", type: "method", detail: "(id) => true" },
  { label: "count", type: "method", detail: "(filter?) => number" },
];

const executeFunction: ApiMember = {
  label: "executeFunction",
  type: "method",
  detail: "(name, payload?) => result",
  info: "Runs another function and answers its result.",
};

const functionClient: ApiMember[] = [
  ...recordOperations,
  {
    label: "entities",
    type: "namespace",
    info: "entities.Task.filter(...): the record operations of one collection (Base44-style).",
    anyKey: entityOperations,
  },
  { label: "functions", type: "namespace", members: [{ ...executeFunction, label: "invoke" }] },
  executeFunction,
  {
    label: "sendEmail",
    type: "method",
    detail: "(to, subject, body?) => { id }",
    info: "Queues an email: body is the text, or { text?, html?, from?, replyTo? }.",
  },
];

const backendMembers: ApiMember[] = [
  ...functionClient,
  {
    label: "publishEvent",
    type: "method",
    detail: "(type, data?) => event",
    info: "Publishes a custom event (order_placed) to its subscribed functions.",
  },
  {
    label: "channels",
    type: "namespace",
    members: [
      {
        label: "send",
        type: "method",
        detail: "(channel, message, options?) => Promise<message>",
        info: "Sends a message to every member of the channel; { event: true } also fires chan_in.",
      },
    ],
  },
  {
    label: "runAt",
    type: "method",
    detail: "(when, name, payload?) => OneOffRun",
    info: "Runs a function once at a date (Date, ISO string or epoch ms), durably.",
  },
  {
    label: "runAfter",
    type: "method",
    detail: "(ms, name, payload?) => OneOffRun",
    info: "Runs a function once after a delay in milliseconds, durably.",
  },
  {
    label: "cancelRun",
    type: "method",
    detail: "(id) => boolean",
    info: "Cancels a one-off run that has not happened yet.",
  },
];

const contextMembers: ApiMember[] = [
  { label: "trigger", type: "property", detail: '"http" | "call" | "event" | "schedule"' },
  { label: "user", type: "property", detail: "Caller | null", info: "Who called: { id, email, role }." },
  { label: "executionId", type: "property", detail: "string" },
  { label: "functionName", type: "property", detail: "string" },
  { label: "env", type: "property", detail: "Record<string, string>", info: "The project's secrets." },
  { label: "event_type", type: "property", detail: "string", info: "For an event trigger: its type." },
  { label: "event_data", type: "property", detail: "any" },
  { label: "event_id", type: "property", detail: "string" },
  { label: "delivery_id", type: "property", detail: "string" },
  { label: "attempt", type: "property", detail: "number" },
  { label: "schedule_name", type: "property", detail: "string" },
  { label: "scheduled_time", type: "property", detail: "string" },
  { label: "manual", type: "property", detail: "boolean", info: 'True for "run now".' },
  { label: "request", type: "property", detail: "Request", info: "For an HTTP request: the request." },
];

/** Identifiers whose members complete, and the bare globals offered while typing a name. */
export const RUNTIME_GLOBALS: ApiMember[] = [
  {
    label: "backend",
    type: "variable",
    info: "The platform: records, email, events, calls to other functions (service rights).",
    members: backendMembers,
  },
  {
    label: "createClientFromRequest",
    type: "function",
    detail: "(request?) => RequestClient",
    info: "A client acting as the caller of the execution; its asServiceRole acts as the server.",
  },
  {
    label: "env",
    type: "variable",
    detail: "Record<string, string | undefined>",
    info: "The project's secrets, read-only.",
  },
  {
    label: "Deno",
    type: "namespace",
    members: [
      { label: "serve", type: "method", detail: "(handler) => DenoServer", info: "Registers the handler." },
      {
        label: "env",
        type: "namespace",
        members: [
          { label: "get", type: "method", detail: "(name) => string | undefined" },
          { label: "has", type: "method", detail: "(name) => boolean" },
          { label: "toObject", type: "method", detail: "() => Record<string, string>" },
        ],
      },
    ],
  },
  { label: "context", type: "variable", info: "The handler's second argument.", members: contextMembers },
  {
    label: "asServiceRole",
    type: "property",
    info: "On a client from createClientFromRequest: the same calls with service rights.",
    members: functionClient,
  },
];

/** The members after `path` (["backend", "entities", "Task"]), or undefined when unknown. */
export function membersAt(path: string[]): ApiMember[] | undefined {
  // `client.asServiceRole.` on any client from createClientFromRequest.
  const serviceRole = path.lastIndexOf("asServiceRole");
  if (serviceRole > 0) path = path.slice(serviceRole);
  let members: ApiMember[] | undefined = RUNTIME_GLOBALS;
  let anyKey: ApiMember[] | undefined;
  for (const part of path) {
    const found: ApiMember | undefined = members?.find((m) => m.label === part);
    if (found) {
      members = found.members;
      anyKey = found.anyKey;
    } else if (anyKey) {
      members = anyKey;
      anyKey = undefined;
    } else return undefined;
    if (!members && anyKey) members = [];
  }
  return members;
}
