// Every action a request makes is traced to the request (its id is unique across nodes).
import type { FastifyRequest } from "fastify";
import type { Trace } from "../events/pipeline.js";

export function traceOf(request: FastifyRequest): Trace {
  return { cause: { kind: "request", id: request.id } };
}
