// Deliveries: /deliveries lists them (filtered by the URL query), /deliveries/<id> shows one with
// its payload and attempts, and retries or replays it with an edited payload.
import type { Location } from "../router/router.js";
import type { Session } from "../session/session.js";
import { DeliveriesList } from "./DeliveriesList.js";
import { DeliveryView } from "./DeliveryView.js";
import "./deliveries.css";

export function DeliveriesPage({ session, location }: { session: Session; location: Location }) {
  const rest = location.path.slice("/deliveries".length).replace(/^\/+/, "");
  if (rest === "") return <DeliveriesList session={session} query={location.query} />;
  const id = decodeURIComponent(rest.split("/")[0] ?? "");
  return (
    <DeliveryView key={id} session={session} id={id} replayed={location.query.get("replayed") === "1"} />
  );
}
