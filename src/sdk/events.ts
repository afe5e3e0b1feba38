// client.events: custom events. `publish(type, data)` POSTs `{ type, data }` to /api/events; every
// active subscription of that type then gets its own delivery (at least once, retried, with a
// stable id), and the handlers see who published it. Any signed-in user may publish; system types
// (POST_USER_CREATE, doc_created...) fire only from the actions themselves and are refused.
//
// Name your events' data once, and every publish is typed:
//   declare module "backend" {
//     interface Events { order_placed: { orderId: number } }
//   }
import type { Transport } from "./http.js";
import type { DocumentData } from "./types.js";

/** Your custom events' data types, by event type; add yours with `declare module`. */
export interface Events {} // eslint-disable-line @typescript-eslint/no-empty-object-type

/** A declared event's data type; any JSON object for other types. */
type DataFor<T extends string> = T extends keyof Events ? Events[T] : DocumentData;

/** What the server answers to a publish. */
export interface PublishedEvent {
  /** The stored event's id (see it with `backend events trace <id>`). */
  id: string;
  /** The event type, canonical. */
  type: string;
  /** How many deliveries were made: one per active subscription whose filter matched. */
  deliveries: number;
}

export interface EventsApi {
  /**
   * Publishes a custom event, e.g. `publish("order_placed", { orderId: 123 })`. Data over 1 MB ->
   * BackendError 413; a system event type -> 400 or 403; not signed in -> 401.
   */
  publish<T extends string>(type: T, data?: DataFor<T>): Promise<PublishedEvent>;
}

export function eventsApi(http: Transport): EventsApi {
  return {
    publish: (type, data) => http.request("POST", "/api/events", { body: { type, data } }),
  };
}
