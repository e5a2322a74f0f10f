import { useMemo, useRef, useState } from "react";
import type { MonthCount } from "../api/types";
import { formatShortMonth } from "../shared/format";
import { fractionOfMonth, monthAtFraction, scrubSegments, yearMarks } from "./scrubber";

/** The date bar beside the timeline: point at a month, click or drag to go there. */
export function Scrubber({
  months,
  current,
  onJump,
}: {
  months: MonthCount[];
  current: string | null;
  onJump: (month: string) => void;
}) {
  const bar = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<{ month: string; y: number } | null>(null);
  const dragging = useRef(false);
  const segments = useMemo(() => scrubSegments(months), [months]);
  const marks = useMemo(() => yearMarks(segments), [segments]);
  if (segments.length < 2) return null;

  const at = (clientY: number) => {
    const rect = bar.current?.getBoundingClientRect();
    if (!rect || rect.height === 0) return null;
    const y = clientY - rect.top;
    // A year's label is taller than a small month's slice: pointing at the label means the year
    // (its newest month), not whichever month lies under the label's lower half.
    for (const label of bar.current?.querySelectorAll<HTMLElement>("[data-year-month]") ?? []) {
      const box = label.getBoundingClientRect();
      if (box.height > 0 && clientY >= box.top && clientY <= box.bottom && label.dataset.yearMonth) {
        return { month: label.dataset.yearMonth, y };
      }
    }
    const month = monthAtFraction(segments, y / rect.height);
    return month ? { month, y } : null;
  };
  const currentAt = current ? fractionOfMonth(segments, current) : null;
  const index = current ? Math.max(0, segments.findIndex((s) => s.month === current)) : 0;

  const step = (by: number) => {
    const next = segments[Math.min(segments.length - 1, Math.max(0, index + by))];
    if (next) onJump(next.month);
  };

  return (
    <div
      ref={bar}
      className="scrubber"
      role="slider"
      tabIndex={0}
      aria-label="Jump to a date"
      aria-valuemin={0}
      aria-valuemax={segments.length - 1}
      aria-valuenow={index}
      aria-valuetext={current ? formatShortMonth(current) : undefined}
      data-testid="scrubber"
      data-month={current ?? undefined}
      onPointerDown={(event) => {
        dragging.current = true;
        event.currentTarget.setPointerCapture?.(event.pointerId);
        const hit = at(event.clientY);
        if (hit) setHover(hit);
      }}
      onPointerMove={(event) => {
        const hit = at(event.clientY);
        setHover(hit);
        if (dragging.current && hit) onJump(hit.month);
      }}
      onPointerUp={(event) => {
        dragging.current = false;
        const hit = at(event.clientY);
        if (hit) onJump(hit.month);
      }}
      onPointerLeave={() => {
        if (!dragging.current) setHover(null);
      }}
      onKeyDown={(event) => {
        if (event.key === "ArrowDown" || event.key === "PageDown") step(1);
        else if (event.key === "ArrowUp" || event.key === "PageUp") step(-1);
        else if (event.key === "Home") step(-segments.length);
        else if (event.key === "End") step(segments.length);
        else return;
        event.preventDefault();
      }}
    >
      {marks.map((mark) => (
        <span
          key={mark.year}
          className="scrubber__year"
          style={{ top: `${mark.position * 100}%` }}
          data-year-month={mark.month}
        >
          {mark.year}
        </span>
      ))}
      {currentAt !== null && <span className="scrubber__current" style={{ top: `${currentAt * 100}%` }} />}
      {hover && (
        <span className="scrubber__hover" style={{ top: hover.y }}>
          {formatShortMonth(hover.month)}
        </span>
      )}
    </div>
  );
}
