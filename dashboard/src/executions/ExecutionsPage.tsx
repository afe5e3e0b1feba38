// Executions: every run of every function, filtered from the URL (/executions?function=x&status=error),
// a live tail of new runs, and one run with its logs and causal chain (/executions/<id>).
import { useEffect } from "preact/hooks";
import type { Location } from "../router/router.js";
import type { Session } from "../session/session.js";
import { ErrorMessage } from "../ui/states.js";
import { useLoad } from "../ui/useLoad.js";
import { ExecutionDetail } from "./ExecutionDetail.js";
import { ExecutionFilters } from "./ExecutionFilters.js";
import { ExecutionsTable } from "./ExecutionsTable.js";
import { filterOf, pathOf, queryOf } from "./executionQuery.js";
import { LiveTailPanel } from "./LiveTailPanel.js";
import { type LiveTail, type TailScope, useLiveTail } from "./useLiveTail.js";
import "./executions.css";

export function ExecutionsPage({ session, location }: { session: Session; location: Location }) {
  // Here, not in the list: a tail goes on while a run's detail is open, and is there on the way back.
  const tail = useLiveTail(session);
  const id = location.path.slice("/executions/".length);
  if (location.path.startsWith("/executions/") && id) {
    const decoded = decodedId(id);
    return <ExecutionDetail key={decoded} session={session} id={decoded} />;
  }
  return <ExecutionsList session={session} query={location.query} tail={tail} />;
}

/** A hand-typed URL may hold a stray '%': show it as it is (the API answers 404) rather than crash. */
function decodedId(id: string): string {
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}

interface ListProps {
  session: Session;
  query: URLSearchParams;
  tail: LiveTail;
}

function ExecutionsList({ session, query: params, tail }: ListProps) {
  const query = queryOf(params);
  const key = pathOf(query);
  const executions = useLoad(() => session.client.admin.executions.list(filterOf(query)), [session, key]);
  // Names for the function filter's suggestions; the filter works without them.
  const functions = useLoad(() => session.client.admin.functions.list(), [session]);
  const tailFilter: TailScope = {
    ...(query.function ? { function: query.function } : {}),
    ...(query.trigger ? { trigger: query.trigger } : {}),
  };
  // A running tail follows the table's function and trigger filters: it starts again in the new scope.
  const scopeKey = `${query.function ?? ""}\n${query.trigger ?? ""}`;
  useEffect(() => {
    if (tail.state === "off") return;
    if (`${tail.scope.function ?? ""}\n${tail.scope.trigger ?? ""}` !== scopeKey) tail.start(tailFilter);
  }, [scopeKey]);

  return (
    <section>
      <div class="page-head">
        <h1>Executions</h1>
        <button type="button" class="button" onClick={() => void executions.reload()}>
          Refresh
        </button>
      </div>
      <p class="muted">
        Every run of every function, newest first: what started it, how it ended, and what it printed.
      </p>
      <LiveTailPanel tail={tail} filter={tailFilter} />
      <h2 class="section-title">History</h2>
      <ExecutionFilters query={query} functions={(functions.data ?? []).map((f) => f.name)} />
      {functions.state === "error" && executions.state !== "error" && (
        <ErrorMessage error={functions.error} onRetry={functions.reload} />
      )}
      {query.cause && (
        <p class="notice">
          Runs caused by <span class="mono">{query.cause}</span>.
        </p>
      )}
      <ExecutionsTable query={query} executions={executions} />
    </section>
  );
}
