import { describe, expect, it } from "vitest";
import { nearEnd, visibleRange } from "./virtual";

// Ten blocks of 100 px, one after another.
const blocks = Array.from({ length: 10 }, (_, i) => ({ top: i * 100, height: 100 }));

describe("visibleRange", () => {
  it("returns the blocks intersecting the viewport", () => {
    expect(visibleRange(blocks, 0, 250, 0)).toEqual([0, 3]);
    expect(visibleRange(blocks, 150, 100, 0)).toEqual([1, 3]);
    // A block ending exactly at the top edge is not visible.
    expect(visibleRange(blocks, 200, 100, 0)).toEqual([2, 3]);
  });

  it("extends by the overscan and clamps at both ends", () => {
    expect(visibleRange(blocks, 500, 100, 150)).toEqual([3, 8]);
    expect(visibleRange(blocks, 0, 100, 1000)).toEqual([0, 10]);
    expect(visibleRange(blocks, 5000, 100, 0)).toEqual([10, 10]);
  });

  it("handles gaps between blocks and an empty list", () => {
    const gappy = [
      { top: 0, height: 50 },
      { top: 100, height: 50 },
      { top: 300, height: 50 },
    ];
    expect(visibleRange(gappy, 160, 100, 0)).toEqual([2, 2]);
    expect(visibleRange(gappy, 60, 300, 0)).toEqual([1, 3]);
    expect(visibleRange([], 0, 100, 100)).toEqual([0, 0]);
  });

  it("renders a bounded number of blocks however long the list", () => {
    const many = Array.from({ length: 100_000 }, (_, i) => ({ top: i * 200, height: 196 }));
    const [start, end] = visibleRange(many, 10_000_000, 800, 800);
    expect(end - start).toBeLessThanOrEqual(13);
    expect(start).toBe(49_996);
  });
});

describe("nearEnd", () => {
  it("is true once the viewport comes within the threshold of the bottom", () => {
    expect(nearEnd(5000, 0, 800, 1000)).toBe(false);
    expect(nearEnd(5000, 3200, 800, 1000)).toBe(true);
  });
});
