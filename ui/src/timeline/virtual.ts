// The virtualiser's arithmetic: which blocks (sorted by top, not overlapping) intersect the
// viewport plus some overscan. Only those are rendered.

export interface Span {
  top: number;
  height: number;
}

/** Index of the first block whose bottom is below `y` (blocks.length if none). */
export function firstEndingAfter(blocks: readonly Span[], y: number): number {
  let lo = 0;
  let hi = blocks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (blocks[mid]!.top + blocks[mid]!.height <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first block starting at or below `y` (blocks.length if none). */
export function firstStartingAtOrAfter(blocks: readonly Span[], y: number): number {
  let lo = 0;
  let hi = blocks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (blocks[mid]!.top < y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The half-open range [start, end) of blocks to render for a viewport at `scrollTop` of height
 * `viewport`, extended by `overscan` pixels above and below.
 */
export function visibleRange(
  blocks: readonly Span[],
  scrollTop: number,
  viewport: number,
  overscan: number,
): [number, number] {
  const top = Math.max(0, scrollTop - overscan);
  const bottom = scrollTop + viewport + overscan;
  const start = firstEndingAfter(blocks, top);
  const end = Math.max(start, firstStartingAtOrAfter(blocks, bottom));
  return [start, end];
}

/** Whether more should load: the rendered window reaches within `threshold` px of the end. */
export function nearEnd(totalHeight: number, scrollTop: number, viewport: number, threshold: number): boolean {
  return scrollTop + viewport + threshold >= totalHeight;
}
