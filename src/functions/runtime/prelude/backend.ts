// The `backend` global and the clients of createClientFromRequest. Record ops return plain values,
// so `const users = backend.query(...)` and `await backend.query(...)` both work.
import { bridge, type Role } from "./bridge.js";
import { freeze, StringCtor } from "./intrinsics.js";

export function recordOps(as: Role) {
  return {
    query: (collection: string, filter?: unknown, options?: unknown) =>
      bridge("records.query", [collection, filter, options], as),
    get: (collection: string, id: string) => bridge("records.get", [collection, id], as),
    create: (collection: string, data: unknown) => bridge("records.create", [collection, data], as),
    update: (collection: string, id: string, changes: unknown) =>
      bridge("records.update", [collection, id, changes], as),
    delete: (collection: string, id: string) => bridge("records.delete", [collection, id], as),
    count: (collection: string, filter?: unknown) => bridge("records.count", [collection, filter], as),
  };
}

/** `entities.Task.filter({...})`-style access, for code written against Base44-like SDKs. */
function entities(as: Role) {
  const ops = recordOps(as);
  const of = (name: string) =>
    freeze({
      list: (sort?: string, limit?: number, offset?: number) => ops.query(name, {}, { sort, limit, offset }),
      filter: (filter?: unknown, sort?: string, limit?: number, offset?: number) =>
        ops.query(name, filter, { sort, limit, offset }),
      get: (id: string) => ops.get(name, id),
      create: (data: unknown) => ops.create(name, data),
      update: (id: string, changes: unknown) => ops.update(name, id, changes),
      delete: (id: string) => ops.delete(name, id),
      count: (filter?: unknown) => ops.count(name, filter),
    });
  return new Proxy(
    {},
    {
      get: (_target, name) => (typeof name === "string" ? of(name) : undefined),
      set: () => false,
      defineProperty: () => false,
    },
  );
}

function invoker(as: Role) {
  return (name: string, payload?: unknown) => bridge("functions.invoke", [StringCtor(name), payload], as);
}

function sendEmail(as: Role) {
  return (to: unknown, subject: unknown, body?: unknown) => bridge("email.send", [to, subject, body], as);
}

export function makeBackend() {
  const invoke = invoker("service");
  return freeze({
    ...recordOps("service"),
    entities: entities("service"),
    sendEmail: sendEmail("service"),
    executeFunction: invoke,
    functions: freeze({ invoke }),
    publishEvent: (type: string, data?: unknown) => bridge("events.publish", [type, data], "service"),
    channels: freeze({
      send: (channel: string, data?: unknown, options?: { event?: boolean }) =>
        bridge(
          "channels.send",
          options === undefined ? [channel, data] : [channel, data, options],
          "service",
        ),
    }),
    runAt: (when: unknown, name: string, payload?: unknown) =>
      bridge("schedules.runAt", [when, name, payload], "service"),
    runAfter: (ms: number, name: string, payload?: unknown) =>
      bridge("schedules.runAfter", [ms, name, payload], "service"),
    cancelRun: (id: string) => bridge("schedules.cancel", [id], "service"),
  });
}

function client(as: Role) {
  const invoke = invoker(as);
  return {
    ...recordOps(as),
    entities: entities(as),
    functions: freeze({ invoke }),
    executeFunction: invoke,
    sendEmail: sendEmail(as),
  };
}

/** A client acting as the caller of this execution; `asServiceRole` acts as the service. */
export function createClientFromRequest(_request?: unknown) {
  return freeze({
    ...client("caller"),
    auth: freeze({ me: () => bridge("auth.me", [], "caller") }),
    asServiceRole: freeze(client("service")),
  });
}
