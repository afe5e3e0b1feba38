// Placeholder until this page is built.
import { ComingSoon } from "../layout/ComingSoon.js";
import { sectionOf } from "../layout/sections.js";
import type { Location } from "../router/router.js";
import type { Session } from "../session/session.js";

export function RecordsPage({ location }: { session: Session; location: Location }) {
  return <ComingSoon section={sectionOf(location.path)!} />;
}
