// Which page a dashboard path (the part after '#') shows: /functions, /functions/<name> (nested names
// keep their '/'), /functions/<name>?draft=1 for a function not deployed yet, and one page per
// section, which reads the rest of its path itself (/executions/<id>, /records/<collection>).
import type { FunctionComponent } from "preact";
import { ChannelsPage } from "./channels/ChannelsPage.js";
import { DeliveriesPage } from "./deliveries/DeliveriesPage.js";
import { EmailsPage } from "./emails/EmailsPage.js";
import { EventsPage } from "./events/EventsPage.js";
import { ExecutionsPage } from "./executions/ExecutionsPage.js";
import { FunctionsPage } from "./functions/FunctionsPage.js";
import { FunctionView } from "./functions/FunctionView.js";
import { NotFound } from "./layout/NotFound.js";
import { RecordsPage } from "./records/RecordsPage.js";
import type { Location } from "./router/router.js";
import { SchedulesPage } from "./schedules/SchedulesPage.js";
import { SecretsPage } from "./secrets/SecretsPage.js";
import type { Session } from "./session/session.js";
import { UsersPage } from "./users/UsersPage.js";

export interface PageProps {
  session: Session;
  location: Location;
}

/** Sections whose page handles the section's path and everything under it. */
const SECTION_PAGES: Record<string, FunctionComponent<PageProps>> = {
  "/executions": ExecutionsPage,
  "/deliveries": DeliveriesPage,
  "/channels": ChannelsPage,
  "/emails": EmailsPage,
  "/secrets": SecretsPage,
  "/users": UsersPage,
  "/records": RecordsPage,
};

export function Page({ session, location }: PageProps) {
  const { path } = location;
  if (path === "/functions") return <FunctionsPage session={session} />;
  if (path.startsWith("/functions/")) {
    const name = path.slice("/functions/".length).split("/").map(decodeURIComponent).join("/");
    const draft = location.query.get("draft") === "1";
    return <FunctionView key={name} session={session} name={name} draft={draft} />;
  }
  if (path === "/events") return <EventsPage session={session} />;
  if (path === "/schedules") return <SchedulesPage session={session} />;
  const root = `/${path.split("/")[1] ?? ""}`;
  const SectionPage = SECTION_PAGES[root];
  if (SectionPage) return <SectionPage session={session} location={location} />;
  return <NotFound path={path} />;
}
