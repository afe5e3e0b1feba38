// Loading state for one API read: loading, then the data or the error; `reload` fetches again
// (keeping the shown data until the new answer arrives, so lists do not flicker).
import { useCallback, useEffect, useRef, useState } from "preact/hooks";

export type Load<T> =
  | { state: "loading"; data?: T; error?: undefined }
  | { state: "ready"; data: T; error?: undefined }
  | { state: "error"; data?: T; error: unknown };

export function useLoad<T>(
  load: () => Promise<T>,
  deps: unknown[],
): Load<T> & { reload: () => Promise<void> } {
  const [result, setResult] = useState<Load<T>>({ state: "loading" });
  const latest = useRef(0);
  const run = useCallback(async () => {
    const call = ++latest.current;
    setResult((previous) => ({ state: "loading", data: previous.data }));
    try {
      const data = await load();
      if (call === latest.current) setResult({ state: "ready", data });
    } catch (error) {
      if (call === latest.current) setResult((previous) => ({ state: "error", error, data: previous.data }));
    }
    // The caller names what the load depends on, as with useEffect.
  }, deps);
  useEffect(() => {
    void run();
  }, [run]);
  return { ...result, reload: run };
}
