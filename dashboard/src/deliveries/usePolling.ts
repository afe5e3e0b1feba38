// Reloads a view every few seconds while something in it is still moving (a pending or running
// delivery), and stops once everything has settled.
import { useEffect } from "preact/hooks";

export const POLL_MS = 2000;

export function usePolling(reload: () => Promise<void>, active: boolean, ms = POLL_MS): void {
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => void reload(), ms);
    return () => clearInterval(timer);
  }, [reload, active, ms]);
}
