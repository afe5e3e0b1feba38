// A delivery's status as admins think of it: a pending delivery whose last attempt failed is
// "retrying" (the API calls it pending until its next attempt or until it goes dead).
import type { Delivery } from "../../../src/sdk/index.js";

export function statusLabel(d: Pick<Delivery, "status" | "lastError">): string {
  if (d.status === "pending" && d.lastError !== null) return "retrying";
  return d.status;
}

export function DeliveryStatusTag({ delivery }: { delivery: Pick<Delivery, "status" | "lastError"> }) {
  const label = statusLabel(delivery);
  return (
    <span class={`status status-${label}`} data-testid="delivery-status">
      {label}
    </span>
  );
}
