// One collection's records: the query form (filter, sort, page size), a table whose columns come from
// the documents, paging, and delete after a confirmation. The URL holds the view; this reads it.
import { useState } from "preact/hooks";
import { type BackendRecord, BackendError } from "../../../src/sdk/index.js";
import { Link, navigate } from "../router/router.js";
import type { Session } from "../session/session.js";
import { ConfirmDialog } from "../ui/ConfirmDialog.js";
import { formatTime } from "../ui/formatTime.js";
import { EmptyState, ErrorMessage, Loading } from "../ui/states.js";
import { Pager } from "../ui/Pager.js";
import { useLoad } from "../ui/useLoad.js";
import { QueryForm } from "./QueryForm.js";
import { cellText, columnsOf } from "./recordColumns.js";
import {
  collectionPath,
  queryOf,
  type RecordQuery,
  recordPath,
  searchOf,
  sortOf,
  sortParts,
} from "./recordQuery.js";

interface Props {
  session: Session;
  collection: string;
  params: URLSearchParams;
  onNotice: (notice: string | null) => void;
}

const TIME_FIELDS = new Set(["createdAt", "updatedAt"]);

export function RecordList({ session, collection, params, onNotice }: Props) {
  const query = queryOf(params);
  const search = searchOf(query);
  const page = useLoad(
    () => session.client.admin.records.list(collection, query),
    [session, collection, search],
  );
  const [confirming, setConfirming] = useState<BackendRecord | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  const show = (next: RecordQuery) => {
    onNotice(null);
    // The same view again (Apply pressed twice) reads the records again.
    if (searchOf(next) === search) void page.reload();
    else navigate(collectionPath(collection, next));
  };

  async function remove(record: BackendRecord) {
    setActionError(null);
    onNotice(null);
    try {
      await session.client.records.delete(collection, record.id);
      onNotice(`Deleted record ${record.id}.`);
    } catch (error) {
      setActionError(error);
    }
    // The last record of a page: show the page before it.
    const data = page.data;
    if (data && data.items.length === 1 && query.offset > 0) {
      show({ ...query, offset: Math.max(0, query.offset - query.limit) });
    } else await page.reload();
  }

  const items = page.data?.items ?? [];
  const columns = columnsOf(items);
  const sorted = sortParts(query.sort);

  return (
    <>
      <h2 class="mono">{collection}</h2>
      <QueryForm key={search} query={query} columns={columns} onApply={show} />
      {page.state === "error" && (
        // A bad filter or sort fails the same way again: only other failures offer a retry.
        <ErrorMessage error={page.error} onRetry={isBadQuery(page.error) ? undefined : page.reload} />
      )}
      {actionError !== null && <ErrorMessage error={actionError} />}
      {page.data === undefined || page.state === "error" ? (
        page.state === "loading" && <Loading label="Loading records…" />
      ) : page.data.total === 0 ? (
        <EmptyState title={query.filter.trim() ? "No record matches this filter" : "No records"} />
      ) : items.length === 0 ? (
        <EmptyState title={`No records on this page: ${page.data.total} in all`}>
          <button type="button" class="button" onClick={() => show({ ...query, offset: 0 })}>
            First page
          </button>
        </EmptyState>
      ) : (
        <>
          <Pager
            label="Records pages"
            offset={query.offset}
            limit={query.limit}
            shown={items.length}
            total={page.data.total}
            onOffset={(offset) => show({ ...query, offset })}
          />
          <div class="table-wrap">
            <table class="table records-table" data-testid="records-table">
              <caption class="visually-hidden">Records of {collection}</caption>
              <thead>
                <tr>
                  {columns.map((column) => {
                    const active = sorted.field === column;
                    const direction = active ? (sorted.descending ? "descending" : "ascending") : undefined;
                    return (
                      <th scope="col" key={column} aria-sort={direction}>
                        <button
                          type="button"
                          class="sort-button"
                          title={`Sort by ${column}`}
                          onClick={() =>
                            show({ ...query, offset: 0, sort: sortOf(column, active && !sorted.descending) })
                          }
                        >
                          {column}
                          {active && <span aria-hidden="true">{sorted.descending ? " ↓" : " ↑"}</span>}
                        </button>
                      </th>
                    );
                  })}
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((record) => (
                  <tr key={record.id} data-record={record.id}>
                    {columns.map((column) =>
                      column === "id" ? (
                        <th scope="row" key={column} class="mono">
                          <Link to={recordPath(collection, record.id, query)}>{record.id}</Link>
                        </th>
                      ) : (
                        <Cell key={column} field={column} value={record[column]} />
                      ),
                    )}
                    <td>
                      <button
                        type="button"
                        class="button button-quiet button-danger"
                        aria-label={`Delete record ${record.id}`}
                        onClick={() => setConfirming(record)}
                      >
                        Delete
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {confirming && (
        <ConfirmDialog
          title="Delete this record?"
          confirmLabel="Delete"
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            const record = confirming;
            setConfirming(null);
            void remove(record);
          }}
        >
          <p>
            Record <code>{confirming.id}</code> of {collection} is deleted for good.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

function isBadQuery(error: unknown): boolean {
  return error instanceof BackendError && error.status === 400;
}

function Cell({ field, value }: { field: string; value: unknown }) {
  if (value === undefined) return <td class="muted" aria-label="missing" />;
  if (value === null) return <td class="muted">null</td>;
  if (TIME_FIELDS.has(field) && typeof value === "string") {
    return <td title={value}>{formatTime(value)}</td>;
  }
  const text = cellText(value);
  const full = typeof value === "string" ? value : JSON.stringify(value);
  return (
    <td class={typeof value === "string" ? undefined : "mono"} title={full !== text ? full : undefined}>
      {text}
    </td>
  );
}
