// Calls `refresh` every `ms` while the tab is visible, so counts that change on their own (who is
// connected) stay current without a reload button being the only way.
import { useEffect } from "preact/hooks";

/** How often the channel views refresh their counts and members. */
export const REFRESH_MS = 3000;

export function usePolling(refresh: () => unknown, ms: number): void {
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") refresh();
    }, ms);
    return () => clearInterval(timer);
  }, [refresh, ms]);
}
