// One function, in three tabs: Code (its files in the editor, its config, Deploy, and the test-run
// panel), Versions (diff and rollback) and Health (calls per minute, error rate, p95 duration); and
// Delete. The tab is in the URL (`?tab=versions`), so it survives a reload. A draft (`?draft=1`,
// from "New function") starts from the starter source, has only Code, and exists once deployed.
import { useEffect, useState } from "preact/hooks";
import type { DeployResult, FunctionDetail } from "../../../src/sdk/index.js";
import { functionPath } from "./functionPath.js";
import { Link, navigate, useLocation } from "../router/router.js";
import type { Session } from "../session/session.js";
import { ConfirmDialog } from "../ui/ConfirmDialog.js";
import { formatTime } from "../ui/formatTime.js";
import { ErrorMessage, Loading } from "../ui/states.js";
import { useLoad } from "../ui/useLoad.js";
import { CodeEditor } from "./CodeEditor.js";
import { entryFileOf } from "./entryFile.js";
import { HealthPanel } from "./HealthPanel.js";
import { parseJsonInput, prettyJson } from "../ui/jsonInput.js";
import { STARTER_CONFIG, STARTER_ENTRY, starterSource } from "./starterSource.js";
import { type Tab, Tabs, TABS } from "./Tabs.js";
import { TestRunPanel } from "./TestRunPanel.js";
import { VersionsPanel } from "./VersionsPanel.js";
import "./functions.css";

interface Props {
  session: Session;
  name: string;
  draft: boolean;
}

type Shown = Pick<FunctionDetail, "files" | "config"> & { detail?: FunctionDetail };

async function loadShown(session: Session, name: string, draft: boolean): Promise<Shown> {
  if (draft) return { files: { [STARTER_ENTRY]: starterSource(name) }, config: STARTER_CONFIG };
  const detail = await session.client.admin.functions.get(name);
  return { files: detail.files, config: detail.config, detail };
}

export function FunctionView({ session, name, draft }: Props) {
  const loaded = useLoad(() => loadShown(session, name, draft), [session, name, draft]);
  return (
    <section>
      <p class="breadcrumbs">
        <Link to="/functions">Functions</Link> / <span>{name}</span>
      </p>
      {loaded.state === "error" && <ErrorMessage error={loaded.error} onRetry={loaded.reload} />}
      {loaded.data === undefined ? (
        loaded.state === "loading" && <Loading label={`Loading ${name}…`} />
      ) : (
        <FunctionEditor
          session={session}
          name={name}
          draft={draft}
          shown={loaded.data}
          onDeployed={() => (draft ? navigate(functionPath(name), { replace: true }) : loaded.reload())}
        />
      )}
    </section>
  );
}

interface EditorProps {
  session: Session;
  name: string;
  draft: boolean;
  shown: Shown;
  onDeployed: () => void;
}

function tabOf(query: URLSearchParams, draft: boolean): Tab {
  const asked = query.get("tab");
  return !draft && TABS.some((tab) => tab.id === asked) ? (asked as Tab) : "code";
}

function FunctionEditor({ session, name, draft, shown, onDeployed }: EditorProps) {
  const location = useLocation();
  const tab = tabOf(location.query, draft);
  const [deleting, setDeleting] = useState(false);
  const [files, setFiles] = useState(shown.files);
  const [configText, setConfigText] = useState(() => prettyJson(shown.config));
  const [activeFile, setActiveFile] = useState(() => entryFileOf(shown.files, shown.config) ?? STARTER_ENTRY);
  const [deploying, setDeploying] = useState(false);
  const [deployed, setDeployed] = useState<DeployResult | null>(null);
  const [deployError, setDeployError] = useState<unknown>(null);

  // A reload after a deploy shows what the server now holds.
  useEffect(() => {
    setFiles(shown.files);
    setConfigText(prettyJson(shown.config));
  }, [shown]);

  function source() {
    const config = parseJsonInput(configText, "The config");
    if ("problem" in config) return config;
    return config.value === undefined
      ? { files }
      : { files, config: config.value as Record<string, unknown> };
  }

  async function deploy() {
    setDeployError(null);
    setDeployed(null);
    const input = source();
    if ("problem" in input) return setDeployError(new Error(input.problem));
    setDeploying(true);
    try {
      const result = await session.client.admin.functions.deploy(name, input);
      setDeployed(result);
      onDeployed();
    } catch (error) {
      setDeployError(error);
    } finally {
      setDeploying(false);
    }
  }

  function showTab(next: Tab) {
    navigate(next === "code" ? functionPath(name) : `${functionPath(name)}?tab=${next}`, { replace: true });
  }

  const detail = shown.detail;
  const paths = Object.keys(files);
  return (
    <>
      <div class="page-head">
        <h1>{name}</h1>
        <div class="actions">
          {detail && (
            <button type="button" class="button button-danger" onClick={() => setDeleting(true)}>
              Delete
            </button>
          )}
          <button type="button" class="button button-primary" onClick={deploy} disabled={deploying}>
            {deploying ? "Deploying…" : "Deploy"}
          </button>
        </div>
      </div>
      <p class="muted">
        {draft || !detail
          ? "Not deployed yet: Deploy creates it."
          : `Version ${detail.version} · ${detail.access} · deployed ${formatTime(detail.deployedAt)}`}
      </p>
      {deployed && (
        <p class="notice" role="status">
          {deployed.status === "unchanged"
            ? `Nothing changed: version ${deployed.version} stays active.`
            : `Deployed version ${deployed.version}.`}
        </p>
      )}
      {deployError !== null && <ErrorMessage error={deployError} />}
      {deleting && detail && (
        <DeleteDialog session={session} name={name} onClose={() => setDeleting(false)} />
      )}
      {detail && <Tabs current={tab} onSelect={showTab} />}
      {detail && tab === "versions" && (
        <div role="tabpanel" id="tab-panel-versions" aria-labelledby="tab-versions">
          <VersionsPanel
            session={session}
            detail={detail}
            editorSource={() => source()}
            onRolledBack={onDeployed}
          />
        </div>
      )}
      {detail && tab === "health" && (
        <div role="tabpanel" id="tab-panel-health" aria-labelledby="tab-health">
          <HealthPanel session={session} name={name} />
        </div>
      )}
      {/* Kept mounted while another tab shows, so edits that are not deployed survive. */}
      <div
        class="editor-grid"
        hidden={tab !== "code"}
        {...(detail ? { role: "tabpanel", id: "tab-panel-code", "aria-labelledby": "tab-code" } : {})}
      >
        <div class="card panel">
          {paths.length > 1 && (
            <div class="file-tabs" role="group" aria-label="Files">
              {paths.map((path) => (
                <button
                  key={path}
                  type="button"
                  class="button button-quiet"
                  aria-pressed={path === activeFile}
                  onClick={() => setActiveFile(path)}
                >
                  {path}
                </button>
              ))}
            </div>
          )}
          <CodeEditor
            docKey={`${name}:${activeFile}:${detail?.version ?? "draft"}`}
            value={files[activeFile] ?? ""}
            label={`Source of ${activeFile}`}
            onChange={(text) => setFiles((current) => ({ ...current, [activeFile]: text }))}
          />
          <details class="config">
            <summary>Config (function.jsonc)</summary>
            <textarea
              name="config"
              rows={6}
              spellcheck={false}
              class="mono"
              aria-label="Config (function.jsonc) as JSON"
              value={configText}
              onInput={(e) => setConfigText(e.currentTarget.value)}
            />
          </details>
        </div>
        <TestRunPanel
          session={session}
          name={name}
          source={source}
          ownEvents={detail?.triggers.events.map((trigger) => trigger.event) ?? []}
        />
      </div>
    </>
  );
}

function DeleteDialog({ session, name, onClose }: { session: Session; name: string; onClose: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await session.client.admin.functions.delete(name);
      navigate("/functions");
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  }

  return (
    <ConfirmDialog
      title={`Delete ${name}?`}
      confirmLabel={busy ? "Deleting…" : "Delete"}
      onConfirm={() => void (busy ? undefined : confirm())}
      onCancel={onClose}
    >
      <p>
        All versions of <strong>{name}</strong> are deleted, with its event subscriptions and schedules. It
        cannot be called any more. Its executions stay as history.
      </p>
      {error !== null && <ErrorMessage error={error} />}
    </ConfirmDialog>
  );
}
