// Calls `refresh` every few seconds while `active` and the tab is visible, so a view whose data
// changes on its own (who is connected, a delivery still running, an email being sent) stays
// current without a reload; a view passes `active: false` once everything in it has settled.
import { useEffect } from "preact/hooks";

export const POLL_MS = 2000;

export function usePolling(refresh: () => unknown, active = true, ms = POLL_MS): void {
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") void refresh();
    }, ms);
    return () => clearInterval(timer);
  }, [refresh, active, ms]);
}
