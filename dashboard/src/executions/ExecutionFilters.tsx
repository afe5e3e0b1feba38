// The filter form above the executions table: function, status, trigger and a time range. Applying
// it navigates to the filtered URL (the table reads the URL), so Back undoes a filter.
import { useState } from "preact/hooks";
import { EXECUTION_STATUSES, TRIGGERS } from "../../../src/sdk/index.js";
import { navigate } from "../router/router.js";
import { type ExecutionQuery, fromLocalInput, isFiltered, pathOf, toLocalInput } from "./executionQuery.js";

interface Draft {
  function: string;
  status: string;
  trigger: string;
  since: string;
  until: string;
}

const draftOf = (query: ExecutionQuery): Draft => ({
  function: query.function ?? "",
  status: query.status ?? "",
  trigger: query.trigger ?? "",
  since: toLocalInput(query.since),
  until: toLocalInput(query.until),
});

export function ExecutionFilters({ query, functions }: { query: ExecutionQuery; functions: string[] }) {
  // The draft belongs to the URL it was typed on: when the URL changes (a link, Back, Clear), the
  // form shows what is applied, in the same render (an effect would run after the user typed on).
  const applied = pathOf(query);
  const [edit, setEdit] = useState<{ applied: string; draft: Draft } | null>(null);
  const draft = edit?.applied === applied ? edit.draft : draftOf(query);
  const set = (field: keyof Draft) => (event: Event) =>
    setEdit({ applied, draft: { ...draft, [field]: (event.currentTarget as HTMLInputElement).value } });

  function apply(event: Event) {
    event.preventDefault();
    const next: ExecutionQuery = { page: 1 };
    if (draft.function.trim()) next.function = draft.function.trim();
    if (draft.status) next.status = draft.status as ExecutionQuery["status"];
    if (draft.trigger) next.trigger = draft.trigger as ExecutionQuery["trigger"];
    if (query.cause) next.cause = query.cause;
    const since = fromLocalInput(draft.since);
    if (since) next.since = since;
    const until = fromLocalInput(draft.until);
    if (until) next.until = until;
    navigate(pathOf(next));
  }

  return (
    <form class="card inline-form" aria-label="Filter executions" onSubmit={apply}>
      <div class="field">
        <label for="filter-function">Function</label>
        <input
          id="filter-function"
          list="filter-function-names"
          value={draft.function}
          onInput={set("function")}
          placeholder="any"
          autocomplete="off"
        />
        <datalist id="filter-function-names">
          {functions.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      </div>
      <div class="field">
        <label for="filter-status">Status</label>
        <select id="filter-status" value={draft.status} onChange={set("status")}>
          <option value="">any</option>
          {EXECUTION_STATUSES.map((status) => (
            <option key={status} value={status}>
              {status}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="filter-trigger">Trigger</label>
        <select id="filter-trigger" value={draft.trigger} onChange={set("trigger")}>
          <option value="">any</option>
          {TRIGGERS.map((trigger) => (
            <option key={trigger} value={trigger}>
              {trigger}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="filter-since">Started from</label>
        <input id="filter-since" type="datetime-local" value={draft.since} onInput={set("since")} />
      </div>
      <div class="field">
        <label for="filter-until">Started before</label>
        <input id="filter-until" type="datetime-local" value={draft.until} onInput={set("until")} />
      </div>
      <div class="actions">
        <button type="submit" class="button button-primary">
          Filter
        </button>
        {isFiltered(query) && (
          <button type="button" class="button" onClick={() => navigate("/executions")}>
            Clear filters
          </button>
        )}
      </div>
    </form>
  );
}
