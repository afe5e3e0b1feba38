// A test run: code that is not deployed (the dashboard's editor, before Deploy) built and run once in
// the sandbox, as an admin's call or as a handler of an event type, with a payload. Nothing is stored
// as a version and no trigger changes; the run itself is recorded like any other execution (version
// 0 marks a test run), and what its code does through `backend` is done for real.
import { adminKey, type Principal, requireAdmin } from "../../auth/principal.js";
import { newId } from "../../core/ids.js";
import type { Deps } from "../../deps.js";
import { readGenerations } from "../../storage/cacheGenerations.js";
import type { ActiveFunction } from "../catalog/getActiveFunction.js";
import { buildUndeployed, type DeployInput } from "../deploy/deployFunction.js";
import type { Cause } from "../executions/execution.js";
import type { LogLine } from "../runtime/types.js";
import { runFunction } from "./invokeFunction.js";

/** The version number a test run is recorded under. */
export const TEST_VERSION = 0;

export interface TestRunInput extends DeployInput {
  payload?: unknown;
  /** Run as a handler of this event type, with the payload as the event data. */
  event?: string;
}

export interface TestRunResult {
  executionId: string;
  status: string;
  result?: unknown;
  /** A Deno.serve function's Response: status, headers and the body as text. */
  response?: { status: number; headers: [string, string][]; body: string };
  error?: { message: string; stack?: string };
  logs: LogLine[];
  logsTruncated: boolean;
  durationMs: number;
}

export async function testRun(
  deps: Deps,
  principal: Principal,
  name: string,
  input: TestRunInput,
  cause: Cause,
): Promise<TestRunResult> {
  requireAdmin(principal);
  const built = await buildUndeployed(deps, name, input);
  const fn: ActiveFunction = {
    name,
    version: TEST_VERSION,
    access: built.access,
    config: built.config,
    code: {
      name,
      version: TEST_VERSION,
      // Warm isolates are kept by this key: the same code tried twice reuses one.
      key: `${name}@test#${built.hash.slice(0, 16)}`,
      code: built.bundle.code,
      ...(built.bundle.sourceMap ? { sourceMap: built.bundle.sourceMap } : {}),
      form: built.form,
    },
  };
  const generations = await readGenerations(deps.db);
  const outcome = await runFunction(
    deps,
    fn,
    {
      name,
      trigger: input.event === undefined ? "call" : "event",
      principal: adminKey,
      payload: input.payload,
      ...(input.event === undefined
        ? {}
        : { event: { id: newId(), type: input.event, data: input.payload } }),
      cause,
    },
    generations,
  );
  const answer: TestRunResult = {
    executionId: outcome.executionId,
    status: outcome.status,
    logs: outcome.logs,
    logsTruncated: outcome.logsTruncated,
    durationMs: outcome.durationMs,
  };
  if (outcome.result !== undefined) answer.result = outcome.result;
  if (outcome.error) answer.error = outcome.error;
  if (outcome.response) {
    answer.response = {
      status: outcome.response.status,
      headers: outcome.response.headers,
      body: new TextDecoder().decode(outcome.response.body),
    };
  }
  return answer;
}
