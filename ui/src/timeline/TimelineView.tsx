import type { MouseEvent as ReactMouseEvent } from "react";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { Link } from "react-router";
import type { MonthCount, TimelineItem } from "../api/types";
import { formatDay, formatMonth } from "../shared/format";
import { photoAlt } from "../shared/photoText";
import { photoPath, stackPath } from "../shared/routes";
import { layoutTimeline, monthAt, targetRowHeight, type Block } from "./layout";
import { Scrubber } from "./Scrubber";
import type { Selection } from "./selection";
import { Thumb } from "./Thumb";
import { nearEnd, visibleRange } from "./virtual";

const GAP = 4;
const OVERSCAN = 900;
const FALLBACK_WIDTH = 1024;
const FALLBACK_HEIGHT = 800;

export interface TimelineViewProps {
  items: TimelineItem[];
  months: MonthCount[];
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => void;
  /** The scrubber asked for a month not loaded yet. */
  onJumpToUnloaded: (month: string) => void;
  selection: Selection;
  selecting: boolean;
  onSelect: (id: number, mods: { shift: boolean; toggle: boolean }) => void;
  /** Query string photos are opened with (the filtered sequence). */
  search: string;
  /** The photo the viewer shows (kept in view when it closes). */
  focusId: number | null;
  /** Changes when the list starts over (new filters): scroll back to the top. */
  resetKey: string;
  header?: React.ReactNode;
  /** Below the grid, once its last page is in (smart search's "Similar in meaning"). */
  footer?: React.ReactNode;
}

function useSize(ref: React.RefObject<HTMLElement | null>) {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const node = ref.current;
    if (!node) return;
    const measure = () => setSize({ width: node.clientWidth, height: node.clientHeight });
    measure();
    if (typeof ResizeObserver === "undefined") {
      window.addEventListener("resize", measure);
      return () => window.removeEventListener("resize", measure);
    }
    const observer = new ResizeObserver(measure);
    observer.observe(node);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}

/** The virtualised, justified timeline: only blocks near the viewport are in the DOM. */
export function TimelineView(props: TimelineViewProps) {
  const { items, hasNextPage, isFetchingNextPage, fetchNextPage, selection, selecting, onSelect, search } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const grid = useRef<HTMLDivElement>(null);
  const size = useSize(scroller);
  // Scroll position, and where the grid starts inside the scroller (the toolbar sits above it).
  const [{ scrollTop, gridOffset }, setScroll] = useState({ scrollTop: 0, gridOffset: 0 });
  const width = Math.max(200, (size.width || FALLBACK_WIDTH) - 56); // room for the scrubber
  const viewport = size.height || FALLBACK_HEIGHT;

  const layout = useMemo(
    () =>
      layoutTimeline(items, {
        width,
        targetHeight: targetRowHeight(width),
        gap: GAP,
        monthHeading: 56,
        dayHeading: 36,
        sectionGap: 12,
      }),
    [items, width],
  );
  const order = useMemo(() => items.map((item) => item.id), [items]);

  const onScroll = useCallback(() => {
    const node = scroller.current;
    if (node) setScroll({ scrollTop: node.scrollTop, gridOffset: grid.current?.offsetTop ?? 0 });
  }, []);

  const relativeTop = Math.max(0, scrollTop - gridOffset);
  const [start, end] = visibleRange(layout.blocks, relativeTop, viewport, OVERSCAN);

  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && nearEnd(layout.height, relativeTop, viewport, viewport * 2)) {
      fetchNextPage();
    }
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, layout.height, relativeTop, viewport]);

  // New filters: start at the top.
  useEffect(() => {
    // The scroll event that follows updates the window.
    if (scroller.current) scroller.current.scrollTop = 0;
  }, [props.resetKey]);

  // Keep the photo last shown in the viewer on screen, and focus it when the viewer closes.
  const { focusId } = props;
  const pendingFocus = useRef<number | null>(null);
  useEffect(() => {
    const node = scroller.current;
    pendingFocus.current = focusId;
    if (focusId === null || !node) return;
    const index = order.indexOf(focusId);
    const rowIndex = index === -1 ? undefined : layout.rowOfPhoto[index];
    const row = rowIndex === undefined ? undefined : layout.blocks[rowIndex];
    if (!row) return;
    const top = row.top + (grid.current?.offsetTop ?? 0);
    if (top < node.scrollTop || top + row.height > node.scrollTop + node.clientHeight) {
      node.scrollTop = Math.max(0, top - node.clientHeight / 3);
    }
    // Only when the viewer moves on, not on every layout change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusId]);

  // Its tile may render only once the scroll above has moved the window: focused when it does.
  useEffect(() => {
    const id = pendingFocus.current;
    if (id === null) return;
    const link = scroller.current?.querySelector<HTMLElement>(`[data-photo-id="${id}"] .tile__link`);
    if (!link) return;
    pendingFocus.current = null;
    link.focus({ preventScroll: true });
  });

  // The month at the top of the viewport (not of the blocks rendered above it), for the scrubber.
  const currentMonth = useMemo(() => monthAt(layout.blocks, relativeTop) ?? null, [layout.blocks, relativeTop]);

  const jump = useCallback(
    (month: string) => {
      const top = layout.monthTops.get(month);
      const node = scroller.current;
      if (top !== undefined && node) {
        node.scrollTop = top + (grid.current?.offsetTop ?? 0);
      } else {
        props.onJumpToUnloaded(month);
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [layout.monthTops, props.onJumpToUnloaded],
  );

  const onTileClick = (event: ReactMouseEvent, id: number) => {
    const toggle = event.ctrlKey || event.metaKey;
    if (selecting || toggle || event.shiftKey) {
      event.preventDefault();
      onSelect(id, { shift: event.shiftKey, toggle });
    }
  };

  const renderBlock = (block: Block) => {
    const style = { top: block.top, height: block.height };
    if (block.kind === "month") {
      return (
        <h2 key={block.key} className="tl-month" style={style} data-month={block.month ?? "unknown"}>
          {block.month ? formatMonth(block.month) : "No date"}
        </h2>
      );
    }
    if (block.kind === "day") {
      return (
        <h3 key={block.key} className="tl-day" style={style}>
          {block.day ? formatDay(block.day) : "Unknown day"}
          <span className="muted"> · {block.count}</span>
        </h3>
      );
    }
    return (
      <div key={block.key} className="tl-row" style={style} role="presentation">
        {block.boxes.map((box) => {
          const item = items[box.index];
          if (!item) return null;
          const selected = selection.ids.has(item.id);
          const alt = photoAlt(item);
          return (
            <div
              key={item.id}
              className={`tile${selected ? " tile--selected" : ""}${item.hidden ? " tile--hidden" : ""}${item.failed ? " tile--failed" : ""}`}
              style={{ left: box.x, width: box.width, height: block.height }}
              data-photo-id={item.id}
            >
              <Link
                className="tile__link"
                to={photoPath(item.id, search)}
                state={{ from: "timeline" }}
                onClick={(event) => onTileClick(event, item.id)}
                draggable={false}
              >
                <Thumb id={item.id} version={item.thumbnail_version} placeholder={item.placeholder} alt={alt} failure={item.failure} />
              </Link>
              <button
                type="button"
                className="tile__check"
                aria-label={selected ? "Deselect photo" : "Select photo"}
                aria-pressed={selected}
                onClick={(event) => onSelect(item.id, { shift: event.shiftKey, toggle: true })}
              >
                <span aria-hidden="true">✓</span>
              </button>
              {item.favourite ? (
                <span className="tile__favourite" role="img" aria-label="Favourite">
                  ♥
                </span>
              ) : null}
              {item.stack_count > 1 ? (
                <Link className="tile__stack" to={stackPath(item.id)} aria-label={`Open the stack of ${item.stack_count} photos`}>
                  <span aria-hidden="true">❐ </span>
                  {item.stack_count}
                </Link>
              ) : null}
              {item.rating ? (
                <span className="tile__rating" role="img" aria-label={item.rating === 1 ? "1 star" : `${item.rating} stars`}>
                  {"★".repeat(item.rating)}
                </span>
              ) : null}
            </div>
          );
        })}
      </div>
    );
  };

  return (
    <div className="tl">
      <div className="tl__scroller" ref={scroller} onScroll={onScroll} data-testid="timeline-scroller">
        {props.header}
        <div
          ref={grid}
          className="tl__grid"
          style={{ height: layout.height }}
          data-testid="timeline-grid"
          data-rendered={end - start}
        >
          {layout.blocks.slice(start, end).map(renderBlock)}
        </div>
        {isFetchingNextPage && <p className="tl__more muted">Loading more photos…</p>}
        {!props.hasNextPage && props.footer}
      </div>
      <Scrubber months={props.months} current={currentMonth} onJump={jump} />
    </div>
  );
}
