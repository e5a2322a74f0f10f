// The timeline's geometry: photos grouped by month and day, each day a justified grid (rows
// filled edge to edge, aspect ratios kept), flattened into blocks with absolute offsets so the
// virtualiser can find what is on screen by binary search.
import { dayOf } from "../shared/format";
import { firstEndingAfter } from "./virtual";

export interface Box {
  /** Index of the photo in the input. */
  index: number;
  x: number;
  width: number;
}

export interface Row {
  height: number;
  boxes: Box[];
}

export interface JustifyOptions {
  width: number;
  targetHeight: number;
  gap: number;
  /** A row never gets taller than this (a lone wide photo in a narrow window). */
  maxHeight?: number;
}

const MIN_ASPECT = 0.25;
const MAX_ASPECT = 4;

/** Width over height, clamped so one panorama or sliver cannot wreck a row. */
export function aspectOf(width: number | null | undefined, height: number | null | undefined): number {
  if (!width || !height || width <= 0 || height <= 0) return 1;
  return Math.min(MAX_ASPECT, Math.max(MIN_ASPECT, width / height));
}

/**
 * Fill rows greedily at about `targetHeight`, then scale each full row to exactly `width`.
 * The last row keeps the target height (left-aligned) unless it would overflow.
 */
export function justify(aspects: number[], offset: number, options: JustifyOptions): Row[] {
  const { width, targetHeight, gap } = options;
  const maxHeight = options.maxHeight ?? targetHeight * 1.6;
  const rows: Row[] = [];
  let start = 0;
  while (start < aspects.length) {
    let sum = 0;
    let end = start;
    // Add photos until the row at the target height is at least as wide as the space.
    while (end < aspects.length) {
      sum += aspects[end]!;
      end++;
      if (sum * targetHeight + gap * (end - start - 1) >= width) break;
    }
    const count = end - start;
    const usable = width - gap * (count - 1);
    const full = sum * targetHeight + gap * (count - 1) >= width;
    const height = full ? Math.min(usable / sum, maxHeight) : Math.min(targetHeight, usable / sum);
    const boxes: Box[] = [];
    let x = 0;
    for (let i = start; i < end; i++) {
      const w = aspects[i]! * height;
      boxes.push({ index: offset + i, x, width: w });
      x += w + gap;
    }
    rows.push({ height, boxes });
    start = end;
  }
  return rows;
}

export type Block =
  | { kind: "month"; key: string; top: number; height: number; month: string | null }
  | { kind: "day"; key: string; top: number; height: number; day: string | null; first: number; count: number }
  | { kind: "row"; key: string; top: number; height: number; boxes: Box[] };

export interface TimelineLayout {
  blocks: Block[];
  height: number;
  /** Where each month's heading starts ("unknown" for undated photos). */
  monthTops: Map<string, number>;
  /** For each photo, the index of the row block that shows it. */
  rowOfPhoto: number[];
}

export interface LayoutOptions extends JustifyOptions {
  monthHeading: number;
  dayHeading: number;
  /** Space after the last row of a day. */
  sectionGap: number;
}

export interface Dated {
  taken_at: string | null;
  width: number | null;
  height: number | null;
}

/** Lay the photos (already newest first) out as month headings, day headings and rows. */
export function layoutTimeline(photos: Dated[], options: LayoutOptions): TimelineLayout {
  const blocks: Block[] = [];
  const monthTops = new Map<string, number>();
  const rowOfPhoto: number[] = new Array<number>(photos.length);
  let y = 0;
  let i = 0;
  let currentMonth: string | undefined;
  while (i < photos.length) {
    const day = dayOf(photos[i]!.taken_at);
    const month = day ? day.slice(0, 7) : null;
    const monthKey = month ?? "unknown";
    if (monthKey !== currentMonth) {
      currentMonth = monthKey;
      // A month whose photos arrive again after other months (should not happen when sorted)
      // keeps its first position.
      if (!monthTops.has(monthKey)) monthTops.set(monthKey, y);
      blocks.push({ kind: "month", key: `m:${monthKey}:${i}`, top: y, height: options.monthHeading, month });
      y += options.monthHeading;
    }
    let end = i + 1;
    while (end < photos.length && dayOf(photos[end]!.taken_at) === day) end++;
    blocks.push({ kind: "day", key: `d:${day ?? "unknown"}:${i}`, top: y, height: options.dayHeading, day, first: i, count: end - i });
    y += options.dayHeading;
    const aspects = photos.slice(i, end).map((p) => aspectOf(p.width, p.height));
    for (const row of justify(aspects, i, options)) {
      const index = blocks.length;
      blocks.push({ kind: "row", key: `r:${row.boxes[0]?.index ?? index}`, top: y, height: row.height, boxes: row.boxes });
      for (const box of row.boxes) rowOfPhoto[box.index] = index;
      y += row.height + options.gap;
    }
    y += options.sectionGap;
    i = end;
  }
  return { blocks, height: y, monthTops, rowOfPhoto };
}

/** Row height to aim for at a container width: smaller on phones. */
export function targetRowHeight(width: number): number {
  if (width < 480) return 110;
  if (width < 900) return 160;
  return 220;
}

/**
 * The month shown at `y` (the top of the viewport, in the grid's coordinates): the month of the
 * first block still on screen there, its heading or one of its days' rows. Null for the photos
 * without a date, undefined for an empty timeline.
 */
export function monthAt(blocks: readonly Block[], y: number): string | null | undefined {
  if (!blocks.length) return undefined;
  for (let i = Math.min(firstEndingAfter(blocks, y), blocks.length - 1); i >= 0; i--) {
    const block = blocks[i]!;
    if (block.kind === "month") return block.month;
  }
  return undefined;
}
