// Tells which files changed under a folder, in batches: changes that come within `debounceMs` of
// each other (an editor's save is often several events) arrive as one call. Uses fs.watch with
// `recursive` (inotify on Linux with Node >= 20, FSEvents on macOS); where that is unavailable or
// runs out of watches, it falls back to comparing modification times twice a second.
import { type FSWatcher, readdirSync, statSync, watch } from "node:fs";
import path from "node:path";

export interface FolderWatcher {
  close(): void;
}

const POLL_MS = 500;
/** Editor droppings that are not the user's code. */
const IGNORED = /(^|[/\\])(\.#|#)|~$|\.swp$|\.swx$|\.tmp$|(^|[/\\])(node_modules|\.git)([/\\]|$)/;

export function watchFolder(
  dir: string,
  onChange: (files: string[]) => void,
  options: { debounceMs?: number; onFallback?: (reason: string) => void; poll?: boolean } = {},
): FolderWatcher {
  const debounceMs = options.debounceMs ?? 100;
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const changed = (file: string) => {
    if (IGNORED.test(file)) return;
    pending.add(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...pending];
      pending = new Set();
      onChange(files);
    }, debounceMs);
  };

  let stop: () => void;
  const poll = () => {
    stop = pollFolder(dir, changed);
  };
  if (options.poll) poll();
  else {
    try {
      const watcher: FSWatcher = watch(dir, { recursive: true }, (_event, filename) => {
        changed(filename ? path.join(dir, filename.toString()) : dir);
      });
      watcher.on("error", (error) => {
        watcher.close();
        options.onFallback?.((error as Error).message);
        poll();
      });
      stop = () => watcher.close();
    } catch (error) {
      options.onFallback?.((error as Error).message);
      poll();
    }
  }
  return {
    close() {
      clearTimeout(timer);
      stop();
    },
  };
}

function pollFolder(dir: string, changed: (file: string) => void): () => void {
  let before = snapshot(dir);
  const timer = setInterval(() => {
    const now = snapshot(dir);
    for (const [file, stamp] of now) if (before.get(file) !== stamp) changed(file);
    for (const file of before.keys()) if (!now.has(file)) changed(file);
    before = now;
  }, POLL_MS);
  return () => clearInterval(timer);
}

/** file -> "mtime:size" for every file under dir. */
function snapshot(dir: string, into = new Map<string, string>()): Map<string, string> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return into;
  }
  for (const name of names) {
    const file = path.join(dir, name);
    if (IGNORED.test(file)) continue;
    try {
      const stat = statSync(file);
      if (stat.isDirectory()) snapshot(file, into);
      else into.set(file, `${stat.mtimeMs}:${stat.size}`);
    } catch {
      // Removed between the listing and the stat: the next round sees it gone.
    }
  }
  return into;
}
