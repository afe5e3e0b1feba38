// Previous / next through a listing that answers { limit, offset } and, when the API counts, a total
// ("26–50 of 60"). Every view keeps its page in the URL: pass `to` for links to each page, or
// `onOffset` where the view navigates itself (buttons). Without a total (deliveries), "Next" stays
// on while the page came back full.
import { Link } from "../router/router.js";

export interface PagerProps {
  /** The navigation's name: "Users pages". */
  label: string;
  offset: number;
  limit: number;
  /** Items on this page. */
  shown: number;
  total?: number;
  /** Also say "page 2 of 3". */
  pages?: boolean;
  /** The path of the page starting at `offset` (links)... */
  to?: (offset: number) => string;
  /** ...or what moving to `offset` does (buttons). */
  onOffset?: (offset: number) => void;
}

export function Pager({ label, offset, limit, shown, total, pages = false, to, onOffset }: PagerProps) {
  const first = shown === 0 ? 0 : offset + 1;
  const last = offset + shown;
  const hasNext = total === undefined ? shown >= limit : last < total;
  const pageCount = total === undefined ? 0 : Math.max(1, Math.ceil(total / limit));
  return (
    <nav class="pager" aria-label={label}>
      <Step
        label="Previous page"
        enabled={offset > 0}
        offset={Math.max(0, offset - limit)}
        to={to}
        onOffset={onOffset}
      />
      <span class="pager-range" role="status" data-testid="pager-range">
        {first}–{last}
        {total !== undefined && ` of ${total}`}
        {pages && total !== undefined && ` · page ${Math.floor(offset / limit) + 1} of ${pageCount}`}
      </span>
      <Step label="Next page" enabled={hasNext} offset={offset + limit} to={to} onOffset={onOffset} />
    </nav>
  );
}

interface StepProps extends Pick<PagerProps, "to" | "onOffset"> {
  label: string;
  enabled: boolean;
  offset: number;
}

function Step({ label, enabled, offset, to, onOffset }: StepProps) {
  if (to) {
    return enabled ? (
      <Link class="button" to={to(offset)}>
        {label}
      </Link>
    ) : (
      <span class="button" aria-disabled="true">
        {label}
      </span>
    );
  }
  return (
    <button type="button" class="button" disabled={!enabled} onClick={() => onOffset?.(offset)}>
      {label}
    </button>
  );
}
