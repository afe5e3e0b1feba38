// Previous / next through a listing that answers { total, limit, offset }, with "1–25 of 60".
// (Used by Emails and Users; a candidate for ui/.)
export interface PagerProps {
  /** What is paged, for the navigation's name: "Emails pages". */
  label: string;
  total: number;
  limit: number;
  offset: number;
  onOffset: (offset: number) => void;
}

export function Pager({ label, total, limit, offset, onOffset }: PagerProps) {
  if (total <= limit && offset === 0) return null;
  const first = total === 0 ? 0 : Math.min(offset + 1, total);
  const last = Math.min(offset + limit, total);
  return (
    <nav class="admin-pager" aria-label={label}>
      <button
        type="button"
        class="button"
        disabled={offset === 0}
        onClick={() => onOffset(Math.max(0, offset - limit))}
      >
        Previous
      </button>
      <span class="muted" data-testid="pager-range">
        {first}–{last} of {total}
      </span>
      <button
        type="button"
        class="button"
        disabled={offset + limit >= total}
        onClick={() => onOffset(offset + limit)}
      >
        Next
      </button>
    </nav>
  );
}
