// A load balancer for cluster tests: a TCP proxy that sends each new connection to the first of its
// upstream nodes that accepts it, in order. When a node dies its connections break, and reconnecting
// clients land on the next live node, as behind a real load balancer.
import net from "node:net";

export interface TcpProxy {
  url: string;
  close(): Promise<void>;
}

export async function startTcpProxy(upstreams: string[]): Promise<TcpProxy> {
  const targets = upstreams.map((u) => new URL(u));
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => {});
    client.pause();
    const tryTarget = (index: number) => {
      if (index >= targets.length) {
        client.destroy();
        return;
      }
      const target = targets[index]!;
      const upstream = net.connect(Number(target.port), target.hostname);
      let connected = false;
      upstream.once("connect", () => {
        connected = true;
        sockets.add(upstream);
        upstream.on("close", () => {
          sockets.delete(upstream);
          client.destroy();
        });
        client.on("close", () => upstream.destroy());
        upstream.on("error", () => client.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.once("error", () => {
        if (!connected) tryTarget(index + 1);
      });
    };
    tryTarget(0);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
