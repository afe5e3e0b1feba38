// The dashboard's sections, in navigation order. Adding one is: write its page, register it in
// ../routes.tsx, and list it here.
export interface Section {
  path: string;
  label: string;
}

export const SECTIONS: readonly Section[] = [
  { path: "/functions", label: "Functions" },
  { path: "/events", label: "Events" },
  { path: "/schedules", label: "Schedules" },
  { path: "/executions", label: "Executions" },
  { path: "/deliveries", label: "Deliveries" },
  { path: "/channels", label: "Channels" },
  { path: "/emails", label: "Emails" },
  { path: "/secrets", label: "Secrets" },
  { path: "/users", label: "Users" },
  { path: "/records", label: "Records" },
];

export function sectionOf(path: string): Section | undefined {
  return SECTIONS.find((s) => path === s.path || path.startsWith(`${s.path}/`));
}
