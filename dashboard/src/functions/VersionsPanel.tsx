// A function's versions (GET /api/functions/<name>/versions): which one runs, a diff between a chosen
// version and the active one (or the editor's text, not deployed yet), and a rollback to any
// version (POST /api/functions/<name>/rollback) after a confirmation.
import { useState } from "preact/hooks";
import type { FunctionDetail, FunctionSource, RollbackResult, VersionItem } from "../../../src/sdk/index.js";
import type { Session } from "../session/session.js";
import { ConfirmDialog } from "../ui/ConfirmDialog.js";
import { formatTime } from "../ui/formatTime.js";
import { EmptyState, ErrorMessage, Loading } from "../ui/states.js";
import { useLoad } from "../ui/useLoad.js";
import { DiffView } from "./DiffView.js";
import { prettyJson } from "../ui/jsonInput.js";

export interface VersionsPanelProps {
  session: Session;
  /** The function as it runs now: the active version's files and config. */
  detail: FunctionDetail;
  /** The editor's files and config, as edited. */
  editorSource: () => FunctionSource | { problem: string };
  /** After a rollback: the page reloads the function (the editor then shows the version that runs). */
  onRolledBack: () => void;
}

type Against = "active" | "editor";

/** The version compared by default: the newest one before the active version, else any other. */
function defaultCompare(items: VersionItem[], active: number): number | null {
  const older = items.find((item) => item.version < active);
  return (older ?? items.find((item) => item.version !== active))?.version ?? null;
}

export function VersionsPanel({ session, detail, editorSource, onRolledBack }: VersionsPanelProps) {
  const { name } = detail;
  const versions = useLoad(
    () => session.client.admin.functions.versions(name),
    [session, name, detail.version],
  );
  const [picked, setPicked] = useState<number | null>(null);
  const [against, setAgainst] = useState<Against>("active");
  const [rollingBackTo, setRollingBackTo] = useState<number | null>(null);
  const [rolledBack, setRolledBack] = useState<RollbackResult | null>(null);

  const items = versions.data?.items ?? [];
  const compared = picked ?? defaultCompare(items, detail.version);

  return (
    <section class="card panel" aria-labelledby="versions-title">
      <h2 id="versions-title">Versions</h2>
      {rolledBack && (
        <p class="notice" role="status">
          Version {rolledBack.version} is active (was {rolledBack.previousVersion}).
        </p>
      )}
      {versions.state === "error" && <ErrorMessage error={versions.error} onRetry={versions.reload} />}
      {versions.data === undefined ? (
        versions.state === "loading" && <Loading label="Loading versions…" />
      ) : items.length === 0 ? (
        <EmptyState title="No versions" />
      ) : (
        <VersionTable
          items={items}
          compared={compared}
          onCompare={setPicked}
          onRollback={(version) => setRollingBackTo(version)}
        />
      )}
      {versions.data !== undefined &&
        (compared === null ? (
          <p class="muted">
            Only one version so far: a deploy with other code adds one, and then the two can be compared.
          </p>
        ) : (
          <Diff
            session={session}
            detail={detail}
            version={compared}
            against={against}
            onAgainst={setAgainst}
            editorSource={editorSource}
          />
        ))}
      {rollingBackTo !== null && (
        <RollbackDialog
          session={session}
          name={name}
          version={rollingBackTo}
          onCancel={() => setRollingBackTo(null)}
          onDone={(result) => {
            setRollingBackTo(null);
            setRolledBack(result);
            // Show what the rollback changed: the version that ran before against the one that runs now.
            setPicked(result.previousVersion);
            setAgainst("active");
            onRolledBack();
          }}
        />
      )}
    </section>
  );
}

interface TableProps {
  items: VersionItem[];
  compared: number | null;
  onCompare: (version: number) => void;
  onRollback: (version: number) => void;
}

function VersionTable({ items, compared, onCompare, onRollback }: TableProps) {
  return (
    <div class="table-wrap">
      <table class="table versions-table">
        <caption class="visually-hidden">Versions, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Deployed</th>
            <th scope="col">Form</th>
            <th scope="col">Access</th>
            <th scope="col">Hash</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr
              key={item.version}
              data-version={item.version}
              aria-current={item.active ? "true" : undefined}
            >
              <th scope="row">
                v{item.version}
                {item.active && <span class="tag">active</span>}
              </th>
              <td title={item.createdAt}>{formatTime(item.createdAt)}</td>
              <td>{item.form}</td>
              <td>{item.access}</td>
              <td class="mono" title={item.hash}>
                {item.hash.slice(0, 10)}
              </td>
              <td class="actions-cell">
                {!item.active && (
                  <>
                    <button
                      type="button"
                      class="button button-quiet"
                      aria-pressed={item.version === compared}
                      aria-label={`Compare version ${item.version}`}
                      onClick={() => onCompare(item.version)}
                    >
                      Compare
                    </button>
                    <button
                      type="button"
                      class="button"
                      aria-label={`Roll back to version ${item.version}`}
                      onClick={() => onRollback(item.version)}
                    >
                      Roll back
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface DiffProps {
  session: Session;
  detail: FunctionDetail;
  version: number;
  against: Against;
  onAgainst: (against: Against) => void;
  editorSource: () => FunctionSource | { problem: string };
}

interface Entry {
  path: string;
  original: string;
  changed: string;
}

const CONFIG_ENTRY = "config (function.jsonc)";

/** The files of both sides, each with its two texts; the config as one more entry. */
function entriesOf(older: FunctionSource, newer: FunctionSource): Entry[] {
  const paths = [...new Set([...Object.keys(older.files), ...Object.keys(newer.files)])].sort();
  const entries = paths.map((path) => ({
    path,
    original: older.files[path] ?? "",
    changed: newer.files[path] ?? "",
  }));
  entries.push({
    path: CONFIG_ENTRY,
    original: prettyJson(older.config ?? {}),
    changed: prettyJson(newer.config ?? {}),
  });
  return entries;
}

function Diff({ session, detail, version, against, onAgainst, editorSource }: DiffProps) {
  const chosen = useLoad(
    () => session.client.admin.functions.get(detail.name, { version }),
    [session, detail.name, version],
  );
  const edited = against === "editor" ? editorSource() : null;
  const newerLabel = against === "editor" ? "the editor's text" : `version ${detail.version} (active)`;

  return (
    <section class="diff" aria-labelledby="diff-title">
      <h3 id="diff-title">
        Changes from version {version} to {newerLabel}
      </h3>
      <div class="diff-controls">
        <fieldset>
          <legend>Compare with</legend>
          <label>
            <input
              type="radio"
              name="diff-against"
              checked={against === "active"}
              onChange={() => onAgainst("active")}
            />{" "}
            the active version (v{detail.version})
          </label>
          <label>
            <input
              type="radio"
              name="diff-against"
              checked={against === "editor"}
              onChange={() => onAgainst("editor")}
            />{" "}
            the editor's text
          </label>
        </fieldset>
      </div>
      {edited && "problem" in edited && <ErrorMessage error={new Error(edited.problem)} />}
      {chosen.state === "error" && <ErrorMessage error={chosen.error} onRetry={chosen.reload} />}
      {chosen.data === undefined || chosen.data.shownVersion !== version ? (
        chosen.state === "loading" && <Loading label={`Loading version ${version}…`} />
      ) : (
        <FileDiffs
          entries={entriesOf(
            chosen.data,
            edited && !("problem" in edited) ? edited : { files: detail.files, config: detail.config },
          )}
        />
      )}
    </section>
  );
}

function FileDiffs({ entries }: { entries: Entry[] }) {
  const changed = entries.filter((entry) => entry.original !== entry.changed);
  const same = entries.filter((entry) => entry.original === entry.changed);
  return (
    <div data-testid="diff">
      {changed.length === 0 ? (
        <p class="muted">No differences.</p>
      ) : (
        changed.map((entry) => (
          <div class="diff-file" key={entry.path} data-file={entry.path}>
            <h4>
              {entry.path}
              {entry.original === "" && <span class="tag">added</span>}
              {entry.changed === "" && <span class="tag">removed</span>}
            </h4>
            <DiffView
              original={entry.original}
              changed={entry.changed}
              label={`Changes to ${entry.path}`}
              code={entry.path !== CONFIG_ENTRY && /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/.test(entry.path)}
            />
          </div>
        ))
      )}
      {same.length > 0 && changed.length > 0 && (
        <p class="muted">Unchanged: {same.map((entry) => entry.path).join(", ")}</p>
      )}
    </div>
  );
}

interface RollbackProps {
  session: Session;
  name: string;
  version: number;
  onCancel: () => void;
  onDone: (result: RollbackResult) => void;
}

function RollbackDialog({ session, name, version, onCancel, onDone }: RollbackProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function confirm() {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      onDone(await session.client.admin.functions.rollback(name, version));
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  }

  return (
    <ConfirmDialog
      title={`Roll back ${name} to version ${version}?`}
      confirmLabel={busy ? "Rolling back…" : "Roll back"}
      onConfirm={() => void confirm()}
      onCancel={onCancel}
    >
      <p>
        Version {version} runs from the next call on, with its triggers. Nothing is deleted, and the next
        deploy adds a new version on top. Edits in the editor that are not deployed are replaced by version{" "}
        {version}'s code.
      </p>
      {error !== null && <ErrorMessage error={error} />}
    </ConfirmDialog>
  );
}
