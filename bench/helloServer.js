// The reference: the smallest useful node:http server, answering a tiny JSON body to every request.
// Run as its own process, as the backend is, so both pay the same for process and socket overhead.
import http from "node:http";

const body = JSON.stringify({ hello: "world" });
const server = http.createServer((_request, response) => {
  response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  response.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  process.stdout.write(`listening on http://127.0.0.1:${port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
