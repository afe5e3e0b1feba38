// The tabs of a function's page, as the ARIA tabs pattern has them: one tab stop, the arrow keys
// (and Home, End) move between tabs and select them.
import { useRef } from "preact/hooks";

export const TABS = [
  { id: "code", label: "Code" },
  { id: "versions", label: "Versions" },
  { id: "health", label: "Health" },
] as const;

export type Tab = (typeof TABS)[number]["id"];

export function Tabs({ current, onSelect }: { current: Tab; onSelect: (tab: Tab) => void }) {
  const list = useRef<HTMLDivElement>(null);

  function onKeyDown(event: KeyboardEvent) {
    const index = TABS.findIndex((tab) => tab.id === current);
    const next =
      event.key === "ArrowRight"
        ? (index + 1) % TABS.length
        : event.key === "ArrowLeft"
          ? (index - 1 + TABS.length) % TABS.length
          : event.key === "Home"
            ? 0
            : event.key === "End"
              ? TABS.length - 1
              : -1;
    if (next < 0) return;
    event.preventDefault();
    onSelect(TABS[next]!.id);
    list.current?.querySelectorAll<HTMLButtonElement>('[role="tab"]')[next]?.focus();
  }

  return (
    <div class="tabs" role="tablist" aria-label="Function views" ref={list} onKeyDown={onKeyDown}>
      {TABS.map((tab) => (
        <button
          key={tab.id}
          type="button"
          role="tab"
          class="tab"
          id={`tab-${tab.id}`}
          aria-selected={tab.id === current}
          aria-controls={`tab-panel-${tab.id}`}
          tabIndex={tab.id === current ? 0 : -1}
          onClick={() => onSelect(tab.id)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
