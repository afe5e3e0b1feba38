// One function: its files in the editor, its config, Deploy, and the test-run panel. A draft
// (`?draft=1`, from "New function") starts from the starter source and exists once deployed.
import { useEffect, useState } from "preact/hooks";
import { type DeployResult, deployFunction, type FunctionDetail, getFunction } from "../api/functions.js";
import { functionPath } from "./functionPath.js";
import { Link, navigate } from "../router/router.js";
import type { Session } from "../session/session.js";
import { formatTime } from "../ui/formatTime.js";
import { ErrorMessage, Loading } from "../ui/states.js";
import { useLoad } from "../ui/useLoad.js";
import { CodeEditor } from "./CodeEditor.js";
import { entryFileOf } from "./entryFile.js";
import { parseJsonInput, prettyJson } from "./jsonInput.js";
import { STARTER_CONFIG, STARTER_ENTRY, starterSource } from "./starterSource.js";
import { TestRunPanel } from "./TestRunPanel.js";

interface Props {
  session: Session;
  name: string;
  draft: boolean;
}

type Shown = Pick<FunctionDetail, "files" | "config"> & { detail?: FunctionDetail };

async function loadShown(session: Session, name: string, draft: boolean): Promise<Shown> {
  if (draft) return { files: { [STARTER_ENTRY]: starterSource(name) }, config: STARTER_CONFIG };
  const detail = await getFunction(session.http, name);
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

function FunctionEditor({ session, name, draft, shown, onDeployed }: EditorProps) {
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
      const result = await deployFunction(session.http, name, input);
      setDeployed(result);
      onDeployed();
    } catch (error) {
      setDeployError(error);
    } finally {
      setDeploying(false);
    }
  }

  const detail = shown.detail;
  const paths = Object.keys(files);
  return (
    <>
      <div class="page-head">
        <h1>{name}</h1>
        <button type="button" class="button button-primary" onClick={deploy} disabled={deploying}>
          {deploying ? "Deploying…" : "Deploy"}
        </button>
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
      <div class="editor-grid">
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
        <TestRunPanel session={session} name={name} source={source} />
      </div>
    </>
  );
}
