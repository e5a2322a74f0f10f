import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link, useMatch, useOutlet } from "react-router";
import { errorMessage } from "../api/errors";
import { formatMonth } from "../shared/format";
import { activeFilterCount, type Filters } from "../shared/filters";
import { isTyping } from "../shared/keys";
import { useFilters, useTimeline } from "../shared/photos";
import { ROUTES } from "../shared/routes";
import { ShellOverlay } from "../shared/AppShell";
import { useShellUser } from "../shared/shell";
import { ActionBar } from "./ActionBar";
import { CurateViews, TrashNotice } from "./CurateViews";
import { curateView } from "./curate";
import { ActiveFilters, FilterPanel } from "./FilterPanel";
import { useMonths, useRefreshAsPhotosArrive } from "./queries";
import { SimilarInMeaning } from "../smartsearch/SimilarInMeaning";
import { SearchBox } from "./SearchBox";
import { SearchMatches } from "./SearchMatches";
import { clickSelect, EMPTY_SELECTION, keepListed, orderedSelection, selectAll, type Selection } from "./selection";
import { TimelineView } from "./TimelineView";

const EMPTY_VIEW = {
  all: "No photos yet.",
  favourites: "No favourites yet: select photos and press Favourite (or h).",
  archive: "Nothing archived. Archived photos leave the timeline but stay in search and albums.",
  trash: "The trash is empty.",
} as const;

const wide = () => typeof window !== "undefined" && window.matchMedia?.("(min-width: 1100px)").matches;

/** Home: the timeline of the (filtered) photos; the viewer opens over it. */
export function TimelinePage() {
  const user = useShellUser();
  const outlet = useOutlet();
  const viewing = useMatch(ROUTES.photo);
  const viewerOpen = outlet !== null;
  const { filters, at, search, setFilters } = useFilters();
  const timeline = useTimeline(filters, at);
  const months = useMonths(filters);
  useRefreshAsPhotosArrive(timeline.data?.pages.length ?? 0, viewerOpen);
  const [panelOpen, setPanelOpen] = useState<boolean>(() => !!wide());
  // Opened by the person, focus moves into the panel; closed, it comes back to the Filters button
  // (when it was inside the panel), never lost with the panel.
  const [panelOpenedHere, setPanelOpenedHere] = useState(false);
  const filtersButton = useRef<HTMLButtonElement>(null);
  const showPanel = useCallback((open: boolean) => {
    if (!open && document.activeElement?.closest(".filters")) filtersButton.current?.focus();
    if (open) setPanelOpenedHere(true);
    setPanelOpen(open);
  }, []);
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const [focusId, setFocusId] = useState<number | null>(null);
  const { items } = timeline;
  const order = useMemo(() => items.map((i) => i.id), [items]);

  // The viewer's photo, remembered so the grid shows it when the viewer closes.
  const viewingId = viewing?.params.id ? Number(viewing.params.id) : null;
  if (viewingId !== null && viewingId !== focusId) setFocusId(viewingId);

  // Selected photos that drop out of the list (hidden, filtered away) are forgotten.
  const listedSelection = useMemo(() => keepListed(selection, order), [selection, order]);

  const changeFilters = useCallback(
    (next: Filters) => {
      setSelection(EMPTY_SELECTION);
      setFilters(next);
    },
    [setFilters],
  );

  const jumpToUnloaded = useCallback(
    (month: string) => {
      const newest = months.data?.[0]?.month;
      setFilters(filters, { at: month === newest ? undefined : month, replace: true });
    },
    [filters, months.data, setFilters],
  );

  useEffect(() => {
    if (viewerOpen) return;
    const onKey = (event: KeyboardEvent) => {
      // A dialog (add to album, share) handles its own keys: Escape closes it, not the selection.
      if (isTyping(event) || document.querySelector("dialog[open]")) return;
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "a") {
        event.preventDefault();
        setSelection(selectAll(order));
      } else if (event.key === "Escape") {
        setSelection(EMPTY_SELECTION);
      } else if (event.key === "f" && !event.ctrlKey && !event.metaKey && !event.altKey) {
        showPanel(!panelOpen);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [viewerOpen, order, panelOpen, showPanel]);

  const selected = orderedSelection(listedSelection, order);
  const view = curateView(filters);
  // The view (favourites, archive, trash) is not a filter the person set: it is the page.
  const count = activeFilterCount(filters) - (view === "all" ? 0 : 1);
  const filtered = count > 0;

  const header = (
    <>
      <div className="tl-toolbar">
        <SearchBox filters={filters} onChange={changeFilters} />
        <button
          ref={filtersButton}
          type="button"
          className={`button${panelOpen ? " button--on" : ""}`}
          aria-expanded={panelOpen}
          onClick={() => showPanel(!panelOpen)}
        >
          Filters{count ? ` (${count})` : ""}
        </button>
      </div>
      <CurateViews filters={filters} onChange={changeFilters} />
      {view === "trash" && <TrashNotice empty={timeline.isSuccess && items.length === 0} />}
      <ActiveFilters filters={filters} onChange={changeFilters} />
      <SearchMatches q={filters.q} />
      {at && (
        <p className="notice">
          Showing {formatMonth(at)} and older.{" "}
          <button type="button" className="link-button" onClick={() => setFilters(filters, { replace: true })}>
            Back to the newest
          </button>
        </p>
      )}
      {timeline.isError && (
        <p className="field__error" role="alert">
          Could not load the photos. {errorMessage(timeline.error)}
        </p>
      )}
      {timeline.isSuccess && items.length === 0 && (
        <div className="empty">
          {filtered ? (
            <>
              <p>No photos match these filters.</p>
              <button type="button" className="button" onClick={() => changeFilters({})}>
                Clear filters
              </button>
            </>
          ) : view !== "all" ? (
            <p>{EMPTY_VIEW[view]}</p>
          ) : (
            <>
              <p>{EMPTY_VIEW[view]}</p>
              {user.is_admin ? (
                <p className="muted">
                  <Link to={ROUTES.welcome}>Add your first library</Link> (or more in{" "}
                  <Link to={ROUTES.settings}>Settings</Link>); photos appear here as they are imported.
                </p>
              ) : (
                <p className="muted">Photos of the libraries shared with you appear here as they are imported.</p>
              )}
            </>
          )}
        </div>
      )}
      {timeline.isPending && <p className="muted tl__loading">Loading photos…</p>}
    </>
  );

  return (
    <>
      <div className="timeline-page">
        {panelOpen && (
          <FilterPanel
            filters={filters}
            onChange={changeFilters}
            onClose={() => showPanel(false)}
            focusOnOpen={panelOpenedHere}
          />
        )}
        <main className="timeline-main">
          <h1 className="visually-hidden">Photos</h1>
          <TimelineView
            items={items}
            months={months.data ?? []}
            hasNextPage={timeline.hasNextPage}
            isFetchingNextPage={timeline.isFetchingNextPage}
            fetchNextPage={() => void timeline.fetchNextPage()}
            onJumpToUnloaded={jumpToUnloaded}
            selection={listedSelection}
            selecting={listedSelection.ids.size > 0}
            onSelect={(id, mods) => setSelection(clickSelect(listedSelection, order, id, mods))}
            search={search}
            focusId={viewerOpen ? null : focusId}
            resetKey={`${search}`}
            header={header}
            footer={filters.q ? <SimilarInMeaning q={filters.q} /> : undefined}
          />
        </main>
      </div>
      {selected.length > 0 && (
        <ActionBar
          ids={selected}
          items={items}
          showingHidden={view === "archive"}
          view={view}
          keys={!viewerOpen}
          onSelectAll={() => setSelection(selectAll(order))}
          onClear={() => setSelection(EMPTY_SELECTION)}
        />
      )}
      {/* Over the timeline, which is inert (no focus, clicks or keys) while the viewer shows. */}
      {outlet && <ShellOverlay>{outlet}</ShellOverlay>}
    </>
  );
}
