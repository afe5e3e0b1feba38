// Records: /records lists the collections with their read rule; /records/<collection> browses its
// records with the filter language, a sort and pages (all in the URL); /records/<collection>/<id>
// shows one record's full JSON, where it can be deleted.
import { useEffect, useState } from "preact/hooks";
import type { Collection } from "../../../src/sdk/index.js";
import { Link, type Location } from "../router/router.js";
import type { Session } from "../session/session.js";
import { formatTime } from "../ui/formatTime.js";
import { EmptyState, ErrorMessage, Loading, Notice } from "../ui/states.js";
import { useLoad } from "../ui/useLoad.js";
import { collectionPath, queryOf } from "./recordQuery.js";
import { RecordDetail } from "./RecordDetail.js";
import { RecordList } from "./RecordList.js";
import "./records.css";

export function RecordsPage({ session, location }: { session: Session; location: Location }) {
  const [, , collectionPart, idPart] = location.path.split("/");
  const collection = collectionPart ? decodeURIComponent(collectionPart) : undefined;
  const id = idPart ? decodeURIComponent(idPart) : undefined;
  // What the last action did ("Deleted ..."), shown on the next view of the same collection.
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => setNotice(null), [collection]);

  return (
    <section>
      <div class="page-head">
        <h1>Records</h1>
      </div>
      {collection !== undefined && (
        <nav aria-label="Breadcrumbs" class="breadcrumbs">
          <Link to="/records">Collections</Link> /{" "}
          {id !== undefined ? (
            <>
              <Link to={collectionPath(collection, queryOf(location.query))}>{collection}</Link> /{" "}
              <span class="mono">{id}</span>
            </>
          ) : (
            <span>{collection}</span>
          )}
        </nav>
      )}
      {notice !== null && <Notice>{notice}</Notice>}
      {collection === undefined ? (
        <Collections session={session} />
      ) : id === undefined ? (
        <RecordList
          key={collection}
          session={session}
          collection={collection}
          params={location.query}
          onNotice={setNotice}
        />
      ) : (
        <RecordDetail
          key={`${collection}/${id}`}
          session={session}
          collection={collection}
          id={id}
          params={location.query}
          onNotice={setNotice}
        />
      )}
    </section>
  );
}

const RULES: Record<Collection["read"], string> = {
  owner: "each user reads their own records",
  users: "any signed-in user reads every record",
  public: "anyone reads every record",
};

function Collections({ session }: { session: Session }) {
  const collections = useLoad(() => session.client.admin.collections.list(), [session]);
  return (
    <>
      <p class="muted">
        A collection appears with its first record. Its read rule says who may read its records; admins read
        everything.
      </p>
      {collections.state === "error" && (
        <ErrorMessage error={collections.error} onRetry={collections.reload} />
      )}
      {collections.data === undefined ? (
        collections.state === "loading" && <Loading label="Loading collections…" />
      ) : collections.data.length === 0 ? (
        <EmptyState title="No collections yet">
          <p>A collection appears when its first record is created.</p>
        </EmptyState>
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">Collections</caption>
            <thead>
              <tr>
                <th scope="col">Collection</th>
                <th scope="col">Read rule</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {collections.data.map((c) => (
                <tr key={c.name} data-collection={c.name}>
                  <th scope="row">
                    <Link to={collectionPath(c.name)}>{c.name}</Link>
                  </th>
                  <td>
                    <span class="status" data-testid="read-rule">
                      {c.read}
                    </span>{" "}
                    <span class="muted">({RULES[c.read]})</span>
                  </td>
                  <td title={c.createdAt}>{formatTime(c.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
