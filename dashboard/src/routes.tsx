// Which page a dashboard path (the part after '#') shows: /functions, /functions/<name> (nested names
// keep their '/'), /functions/<name>?draft=1 for a function not deployed yet, /events, and one path
// per section.
import { EventsPage } from "./events/EventsPage.js";
import { FunctionsPage } from "./functions/FunctionsPage.js";
import { FunctionView } from "./functions/FunctionView.js";
import { ComingSoon } from "./layout/ComingSoon.js";
import { NotFound } from "./layout/NotFound.js";
import { sectionOf } from "./layout/sections.js";
import type { Location } from "./router/router.js";
import { SchedulesPage } from "./schedules/SchedulesPage.js";
import type { Session } from "./session/session.js";

export function Page({ session, location }: { session: Session; location: Location }) {
  const { path } = location;
  if (path === "/functions") return <FunctionsPage session={session} />;
  if (path.startsWith("/functions/")) {
    const name = path.slice("/functions/".length).split("/").map(decodeURIComponent).join("/");
    const draft = location.query.get("draft") === "1";
    return <FunctionView key={name} session={session} name={name} draft={draft} />;
  }
  if (path === "/events") return <EventsPage session={session} />;
  if (path === "/schedules") return <SchedulesPage session={session} />;
  const section = sectionOf(path);
  if (section && !section.ready && path === section.path) return <ComingSoon section={section} />;
  return <NotFound path={path} />;
}
