// TEST-ONLY: stops every outgoing TCP connection that is not to loopback before a packet leaves
// (also when a custom `lookup` supplies the address), and records each attempt, so fetch tests can
// prove a refusal came before any connection and can never reach a real network by mistake.
import net from "node:net";
import { vi } from "vitest";

const LOCAL = new Set(["127.0.0.1", "::1"]);

/** Host names (or IPs) of every connection attempted since the guard was installed or cleared. */
export const connectAttempts: string[] = [];

export function installConnectGuard(): void {
  const realConnect = net.Socket.prototype.connect;
  vi.spyOn(net.Socket.prototype, "connect").mockImplementation(function (
    this: net.Socket,
    ...args: unknown[]
  ) {
    const first = Array.isArray(args[0]) ? args[0][0] : args[0];
    const options = (typeof first === "object" && first !== null ? first : {}) as net.TcpNetConnectOpts;
    const host = String(options.host ?? args[1]);
    connectAttempts.push(host);
    if (net.isIP(host) && !LOCAL.has(host)) throw new Error(`test guard: no connection to ${host}`);
    const lookup = options.lookup;
    if (!net.isIP(host) && lookup) {
      options.lookup = ((name, opts, callback) =>
        lookup(name, opts, (err, address, family) => {
          const list = Array.isArray(address) ? address.map((a) => a.address) : [address];
          if (!err && list.some((a) => !LOCAL.has(a)))
            return callback(new Error(`test guard: ${list}`), "", 0);
          callback(err, address as string, family);
        })) as net.LookupFunction;
    } else if (!net.isIP(host) && host !== "localhost") {
      throw new Error(`test guard: no connection to ${host}`);
    }
    return (realConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  });
}
