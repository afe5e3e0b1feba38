// The dashboard's sections, in navigation order. A section without a `page` shows "coming soon";
// adding one is: write its page, register it in ../routes.tsx, set `ready`.
export interface Section {
  path: string;
  label: string;
  /** What the section will do, shown while it is not built. */
  summary: string;
  ready: boolean;
}

export const SECTIONS: readonly Section[] = [
  { path: "/functions", label: "Functions", summary: "Edit, test-run and deploy functions.", ready: true },
  {
    path: "/events",
    label: "Events",
    summary: "Every event type with its subscribers; subscribe and unsubscribe functions.",
    ready: true,
  },
  {
    path: "/schedules",
    label: "Schedules",
    summary: 'Create schedules from a phrase such as "Daily at 9 AM" or a cron, see next runs.',
    ready: true,
  },
  {
    path: "/executions",
    label: "Executions",
    summary: "Every execution with its logs, input, result and causal chain; live tail.",
    ready: true,
  },
  {
    path: "/deliveries",
    label: "Deliveries",
    summary: "Pending, failed and dead event deliveries; retry and replay.",
    ready: true,
  },
  {
    path: "/channels",
    label: "Channels",
    summary: "Channels with their connected members, and a message console.",
    ready: true,
  },
  {
    path: "/emails",
    label: "Emails",
    summary: "The email outbox and what happened to each email.",
    ready: true,
  },
  { path: "/secrets", label: "Secrets", summary: "Secret names; set and delete secrets.", ready: true },
  { path: "/users", label: "Users", summary: "Users and their roles.", ready: true },
  { path: "/records", label: "Records", summary: "Browse records with the filter language.", ready: true },
];

export function sectionOf(path: string): Section | undefined {
  return SECTIONS.find((s) => path === s.path || path.startsWith(`${s.path}/`));
}
