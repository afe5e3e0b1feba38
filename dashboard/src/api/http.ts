// The dashboard's admin calls that the SDK has no method for go through the SDK's own transport, so
// they send the same bearer token and fail with the same BackendError (the API's code and message).
import type { BackendClient } from "../../../src/sdk/index.js";
import { Transport } from "../../../src/sdk/http.js";

export type { RequestOptions } from "../../../src/sdk/http.js";

/** A transport for admin endpoints, signed in with the client's token. */
export function adminTransport(client: BackendClient): Transport {
  return new Transport({ url: location.origin, token: client.token });
}

/** Path segments of a nested function name (email/send) stay separated by '/', each one encoded. */
export function namePath(name: string): string {
  return name.split("/").map(encodeURIComponent).join("/");
}
