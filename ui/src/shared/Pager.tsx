/** Previous / "Page N of M" / Next, for lists served a page at a time. Nothing when one page. */
export function Pager({
  page,
  pages,
  onPage,
  className,
  label,
}: {
  page: number;
  pages: number;
  onPage: (page: number) => void;
  className: string;
  /** Names the navigation for assistive technology; without it the pager is a plain group. */
  label?: string;
}) {
  if (pages <= 1) return null;
  const buttons = (
    <>
      <button type="button" className="button button--small" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span className="muted">
        Page {page} of {pages}
      </span>
      <button type="button" className="button button--small" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </>
  );
  return label ? (
    <nav className={className} aria-label={label}>
      {buttons}
    </nav>
  ) : (
    <div className={className}>{buttons}</div>
  );
}
