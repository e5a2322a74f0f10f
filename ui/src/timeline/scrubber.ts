// The date scrubber: every month of the (filtered) library gets a slice of the bar proportional
// to its photos (with a floor so a month of one photo can still be hit), years are labelled.
import type { MonthCount } from "../api/types";

export interface ScrubSegment {
  month: string;
  count: number;
  /** Fractions of the bar's height, 0 at the top (newest). */
  start: number;
  end: number;
}

export interface YearMark {
  year: string;
  /** The year's newest month on the bar: where its label sits and where a click on it goes. */
  month: string;
  position: number;
}

/** Months newest first → segments covering [0, 1]. `minShare` is the smallest slice. */
export function scrubSegments(months: readonly MonthCount[], minShare = 0.004): ScrubSegment[] {
  if (!months.length) return [];
  const floor = Math.min(minShare, 1 / months.length);
  const total = months.reduce((sum, m) => sum + Math.max(0, m.count), 0);
  const weights = months.map((m) => (total ? Math.max(0, m.count) / total : 1 / months.length));
  // Raise tiny months to the floor, taking the difference from the others proportionally.
  const lifted = weights.map((w) => Math.max(w, floor));
  const sum = lifted.reduce((a, b) => a + b, 0);
  let at = 0;
  return months.map((m, i) => {
    const share = lifted[i]! / sum;
    const segment = { month: m.month, count: m.count, start: at, end: i === months.length - 1 ? 1 : at + share };
    at += share;
    return segment;
  });
}

/** The month at a fraction of the bar (clamped to the ends). */
export function monthAtFraction(segments: readonly ScrubSegment[], fraction: number): string | null {
  if (!segments.length) return null;
  const f = Math.min(1, Math.max(0, fraction));
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid]!.end <= f) lo = mid + 1;
    else hi = mid;
  }
  return segments[lo]!.month;
}

/** Where a month sits on the bar (its start), or null if the bar has no such month. */
export function fractionOfMonth(segments: readonly ScrubSegment[], month: string): number | null {
  const segment = segments.find((s) => s.month === month);
  return segment ? segment.start : null;
}

/** One label per year, at the start of its newest month; labels closer than `minGap` are dropped. */
export function yearMarks(segments: readonly ScrubSegment[], minGap = 0.04): YearMark[] {
  const marks: YearMark[] = [];
  let lastYear = "";
  for (const s of segments) {
    const year = s.month.slice(0, 4);
    if (year === lastYear) continue;
    lastYear = year;
    const previous = marks[marks.length - 1];
    if (previous && s.start - previous.position < minGap) continue;
    marks.push({ year, month: s.month, position: s.start });
  }
  return marks;
}
