// functions.invoke for function code: `backend.executeFunction(name, payload)` runs another function
// as a call, with this execution as its cause, and answers its result. The callee's access rules
// apply to the identity of the call; its failure becomes an exception with the callee's message.
import { ValidationError } from "../../core/errors.js";
import { functionFailure } from "../invoke/functionFailure.js";
import { MAX_CALL_DEPTH } from "../invoke/invokeFunction.js";
import type { HttpResponseData } from "../runtime/types.js";
import { text } from "./args.js";
import { causeOf, type Op } from "./bridgeContext.js";

export const functionOps: Record<string, Op> = {
  "functions.invoke": async ({ principal, scope, args }) => {
    const name = text(args, 0, "The function name");
    if (scope.depth + 1 > MAX_CALL_DEPTH) {
      throw new ValidationError(
        `Calling '${name}' would nest calls between functions ${scope.depth + 1} deep; the limit is ${MAX_CALL_DEPTH}`,
      );
    }
    const result = await scope.invoke({
      name,
      trigger: "call",
      principal,
      payload: args[1],
      cause: causeOf(scope),
      depth: scope.depth + 1,
      eventDepth: scope.eventDepth,
    });
    if (result.response) return responseValue(name, result.response, result.executionId);
    if (result.status !== "success") throw functionFailure(result.status, result.error, result.executionId);
    return result.result ?? null;
  },
};

/** A Response from the callee (Deno.serve): its JSON or text on 2xx, an exception otherwise. */
function responseValue(name: string, response: HttpResponseData, executionId: string): unknown {
  const body = new TextDecoder().decode(response.body);
  if (response.status < 200 || response.status > 299) {
    const message = `The function '${name}' answered ${response.status}: ${body.slice(0, 500)}`;
    throw functionFailure("error", { message }, executionId);
  }
  const type = response.headers.find(([n]) => n.toLowerCase() === "content-type")?.[1] ?? "";
  if (/[/+]json\b/i.test(type)) {
    try {
      return JSON.parse(body);
    } catch {
      return body;
    }
  }
  return body;
}
