// The executions matching the URL's filters, newest first, a page at a time; each row links to the
// run's detail.
import type { Execution, Page } from "../../../src/sdk/index.js";
import { functionPath } from "../functions/functionPath.js";
import { Link } from "../router/router.js";
import { EmptyState, ErrorMessage, Loading } from "../ui/states.js";
import type { Load } from "../ui/useLoad.js";
import { type ExecutionQuery, isFiltered, PAGE_SIZE, pathOf } from "./executionQuery.js";
import { Pager } from "../ui/Pager.js";
import { formatDuration, formatInstant } from "../ui/formatTime.js";
import { RunStatus } from "./runStatus.js";

interface Props {
  query: ExecutionQuery;
  executions: Load<Page<Execution>> & { reload: () => Promise<void> };
}

export function ExecutionsTable({ query, executions }: Props) {
  const page = executions.data;
  return (
    <>
      {executions.state === "error" && <ErrorMessage error={executions.error} onRetry={executions.reload} />}
      {page === undefined ? (
        executions.state === "loading" && <Loading label="Loading executions…" />
      ) : page.items.length === 0 ? (
        <EmptyState title={isFiltered(query) ? "No executions match these filters" : "No executions yet"}>
          {!isFiltered(query) && <p>Runs show here once a function is called, triggered or scheduled.</p>}
        </EmptyState>
      ) : (
        <>
          <div class="table-wrap">
            <table class="table" aria-busy={executions.state === "loading"}>
              <caption class="visually-hidden">Executions</caption>
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">Function</th>
                  <th scope="col">Trigger</th>
                  <th scope="col">Status</th>
                  <th scope="col">Duration</th>
                  <th scope="col">Error</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((run) => (
                  <ExecutionRow key={run.id} run={run} />
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            label="Executions pages"
            offset={page.offset}
            limit={PAGE_SIZE}
            shown={page.items.length}
            total={page.total}
            pages
            to={(offset) => pathOf({ ...query, page: offset / PAGE_SIZE + 1 })}
          />
        </>
      )}
    </>
  );
}

function ExecutionRow({ run }: { run: Execution }) {
  return (
    <tr data-execution={run.id} data-function={run.function} data-status={run.status}>
      <th scope="row" title={run.startedAt}>
        <Link
          to={`/executions/${encodeURIComponent(run.id)}`}
          aria-label={`${run.function} run of ${formatInstant(run.startedAt)}`}
        >
          {formatInstant(run.startedAt)}
        </Link>
      </th>
      <td>
        <Link to={functionPath(run.function)}>{run.function}</Link>
        <span class="muted"> v{run.version}</span>
      </td>
      <td>{run.trigger}</td>
      <td>
        <RunStatus status={run.status} />
      </td>
      <td>{formatDuration(run.durationMs)}</td>
      <td class="execution-error">{run.error ?? ""}</td>
    </tr>
  );
}
