// One record: its system fields and its full JSON, and delete after a confirmation (then back to
// the list it was opened from).
import { useState } from "preact/hooks";
import type { BackendRecord } from "../../../src/sdk/index.js";
import { Link, navigate } from "../router/router.js";
import type { Session } from "../session/session.js";
import { ConfirmDialog } from "../ui/ConfirmDialog.js";
import { formatTime } from "../ui/formatTime.js";
import { ErrorMessage, Loading } from "../ui/states.js";
import { useLoad } from "../ui/useLoad.js";
import { collectionPath, queryOf } from "./recordQuery.js";

interface Props {
  session: Session;
  collection: string;
  id: string;
  /** The query of the list it was opened from, kept for the way back. */
  params: URLSearchParams;
  onNotice: (notice: string | null) => void;
}

export function RecordDetail({ session, collection, id, params, onNotice }: Props) {
  const record = useLoad(() => session.client.records.get(collection, id), [session, collection, id]);
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const back = collectionPath(collection, queryOf(params));

  async function remove() {
    setActionError(null);
    setDeleting(true);
    try {
      await session.client.records.delete(collection, id);
      onNotice(`Deleted record ${id}.`);
      navigate(back);
    } catch (error) {
      setActionError(error);
    } finally {
      setDeleting(false);
    }
  }

  return (
    <>
      <div class="page-head">
        <h2 class="mono record-title">{id}</h2>
        <div class="actions">
          <Link to={back} class="button">
            Back to {collection}
          </Link>
          <button
            type="button"
            class="button button-danger"
            disabled={record.data === undefined || deleting}
            onClick={() => setConfirming(true)}
          >
            {deleting ? "Deleting…" : "Delete record"}
          </button>
        </div>
      </div>
      {record.state === "error" && <ErrorMessage error={record.error} onRetry={record.reload} />}
      {actionError !== null && <ErrorMessage error={actionError} />}
      {record.data === undefined ? (
        record.state === "loading" && <Loading label="Loading the record…" />
      ) : (
        <RecordView record={record.data} />
      )}
      {confirming && (
        <ConfirmDialog
          title="Delete this record?"
          confirmLabel="Delete"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void remove();
          }}
        >
          <p>
            Record <code>{id}</code> of {collection} is deleted for good.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

function RecordView({ record }: { record: BackendRecord }) {
  return (
    <div class="card panel record-detail">
      <dl class="facts">
        <div>
          <dt>Owner</dt>
          <dd class="mono">{record.ownerId ?? "none (created with the admin key)"}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd title={record.createdAt}>{formatTime(record.createdAt)}</dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd title={record.updatedAt}>{formatTime(record.updatedAt)}</dd>
        </div>
      </dl>
      <h3>JSON</h3>
      <pre class="output" data-testid="record-json" tabIndex={0} aria-label="The record as JSON">
        {JSON.stringify(record, null, 2)}
      </pre>
    </div>
  );
}
