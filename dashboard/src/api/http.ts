// The dashboard's admin calls that the SDK has no method for go through the SDK's own transport, so
// they send the same bearer token and fail with the same BackendError (the API's code and message).
export type { RequestOptions } from "../../../src/sdk/http.js";

/** Path segments of a nested function name (email/send) stay separated by '/', each one encoded. */
export function namePath(name: string): string {
  return name.split("/").map(encodeURIComponent).join("/");
}
