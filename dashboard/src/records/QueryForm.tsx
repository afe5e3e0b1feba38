// The query of a records view: a filter in the filter language (JSON, judged by the API), a sort
// field and direction, and the page size. Applying it changes the URL; the list follows the URL.
import { useState } from "preact/hooks";
import { PAGE_SIZES, type RecordQuery, sortOf, sortParts } from "./recordQuery.js";

interface Props {
  query: RecordQuery;
  /** Fields of the records shown, offered for the sort. */
  columns: string[];
  onApply: (query: RecordQuery) => void;
}

const EXAMPLE = '{"status":"open","n":{"$gte":5}}';

export function QueryForm({ query, columns, onApply }: Props) {
  const initialSort = sortParts(query.sort);
  const [filter, setFilter] = useState(query.filter);
  const [sortField, setSortField] = useState(initialSort.field);
  const [descending, setDescending] = useState(initialSort.descending);
  const [limit, setLimit] = useState(query.limit);

  function submit(event: Event) {
    event.preventDefault();
    onApply({ filter, sort: sortOf(sortField, descending), limit, offset: 0 });
  }

  const sizes = PAGE_SIZES.includes(limit as (typeof PAGE_SIZES)[number])
    ? PAGE_SIZES
    : [...PAGE_SIZES, limit];

  return (
    <form class="card records-query" aria-label="Query records" onSubmit={submit}>
      <div class="field records-filter">
        <label for="records-filter">Filter</label>
        <textarea
          id="records-filter"
          name="filter"
          rows={2}
          spellcheck={false}
          class="mono"
          placeholder={EXAMPLE}
          aria-describedby="records-filter-help"
          value={filter}
          onInput={(e) => setFilter(e.currentTarget.value)}
          onKeyDown={(e) => {
            // Ctrl/Cmd+Enter applies, as in the other editors; Enter alone makes a new line.
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) submit(e);
          }}
        />
        <small id="records-filter-help" class="muted">
          JSON in the filter language, e.g. <code>{EXAMPLE}</code>; operators $eq $ne $gt $gte $lt $lte $in
          $nin $exists $and $or. Empty: every record.
        </small>
      </div>
      <div class="inline-form">
        <div class="field">
          <label for="records-sort">Sort by</label>
          <input
            id="records-sort"
            name="sort"
            list="records-sort-fields"
            placeholder="createdAt"
            spellcheck={false}
            value={sortField}
            onInput={(e) => setSortField(e.currentTarget.value)}
          />
          <datalist id="records-sort-fields">
            {columns.map((column) => (
              <option key={column} value={column} />
            ))}
          </datalist>
        </div>
        <div class="field">
          <label for="records-direction">Direction</label>
          <select
            id="records-direction"
            name="direction"
            value={descending ? "desc" : "asc"}
            onChange={(e) => setDescending(e.currentTarget.value === "desc")}
          >
            <option value="asc">Ascending</option>
            <option value="desc">Descending</option>
          </select>
        </div>
        <div class="field">
          <label for="records-limit">Per page</label>
          <select
            id="records-limit"
            name="limit"
            value={String(limit)}
            onChange={(e) => setLimit(Number(e.currentTarget.value))}
          >
            {sizes.map((size) => (
              <option key={size} value={String(size)}>
                {size}
              </option>
            ))}
          </select>
        </div>
        <div class="actions records-query-actions">
          <button
            type="button"
            class="button"
            onClick={() => onApply({ filter: "", sort: "", limit: query.limit, offset: 0 })}
          >
            Clear
          </button>
          <button type="submit" class="button button-primary">
            Apply
          </button>
        </div>
      </div>
    </form>
  );
}
