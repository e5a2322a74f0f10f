import { describe, expect, it } from "vitest";
import { aspectOf, justify, layoutTimeline, monthAt, type LayoutOptions } from "./layout";
import { visibleRange } from "./virtual";

const OPTIONS: LayoutOptions = { width: 1000, targetHeight: 200, gap: 4, monthHeading: 48, dayHeading: 32, sectionGap: 16 };

describe("justify", () => {
  it("fills full rows edge to edge and keeps aspect ratios", () => {
    const rows = justify([1.5, 1.5, 1.5, 1.5, 1], 0, OPTIONS);
    expect(rows).toHaveLength(2);
    const first = rows[0]!;
    const last = rows[1]!;
    // 4 photos at 200 px are 1200 + 12 wide: the row shrinks to fit 1000 exactly.
    expect(first.boxes.map((b) => b.index)).toEqual([0, 1, 2, 3]);
    const right = first.boxes[3]!.x + first.boxes[3]!.width;
    expect(right).toBeCloseTo(1000, 6);
    expect(first.height).toBeCloseTo((1000 - 12) / 6, 6);
    for (const box of first.boxes) expect(box.width / first.height).toBeCloseTo(1.5, 6);
    // The last row is not stretched.
    expect(last.height).toBe(200);
    expect(last.boxes[0]).toEqual({ index: 4, x: 0, width: 200 });
  });

  it("offsets indexes and caps a lone very wide photo", () => {
    const rows = justify([4], 10, { ...OPTIONS, width: 300 });
    expect(rows[0]!.boxes[0]!.index).toBe(10);
    expect(rows[0]!.height).toBe(75);
    expect(rows[0]!.boxes[0]!.width).toBe(300);
  });

  it("clamps extreme or missing dimensions", () => {
    expect(aspectOf(10000, 100)).toBe(4);
    expect(aspectOf(10, 1000)).toBe(0.25);
    expect(aspectOf(null, 100)).toBe(1);
    expect(aspectOf(300, 200)).toBe(1.5);
  });
});

describe("layoutTimeline", () => {
  const photo = (taken_at: string | null, width = 300, height = 200) => ({ taken_at, width, height });

  it("groups by month and day with headings and absolute offsets", () => {
    const photos = [
      photo("2024-05-03T10:00:00+02:00"),
      photo("2024-05-03T09:00:00+02:00"),
      photo("2024-05-01T09:00:00"),
      photo("2024-04-30T23:59:00"),
      photo(null),
    ];
    const layout = layoutTimeline(photos, OPTIONS);
    expect(layout.blocks.map((b) => b.kind)).toEqual(["month", "day", "row", "day", "row", "month", "day", "row", "month", "day", "row"]);
    expect([...layout.monthTops.keys()]).toEqual(["2024-05", "2024-04", "unknown"]);
    const days = layout.blocks.filter((b) => b.kind === "day");
    expect(days.map((d) => (d.kind === "day" ? [d.day, d.count] : null))).toEqual([
      ["2024-05-03", 2],
      ["2024-05-01", 1],
      ["2024-04-30", 1],
      [null, 1],
    ]);
    // Blocks are contiguous and sorted.
    for (let i = 1; i < layout.blocks.length; i++) {
      expect(layout.blocks[i]!.top).toBeGreaterThanOrEqual(layout.blocks[i - 1]!.top + layout.blocks[i - 1]!.height);
    }
    expect(layout.rowOfPhoto).toEqual([2, 2, 4, 7, 10]);
    expect(layout.height).toBeGreaterThan(layout.blocks[layout.blocks.length - 1]!.top);
  });

  it("lays out nothing for no photos", () => {
    expect(layoutTimeline([], OPTIONS)).toMatchObject({ blocks: [], height: 0 });
  });
});

describe("monthAt", () => {
  // Twelve months of three photos each, newest first, then two without a date.
  const photos = [
    ...Array.from({ length: 36 }, (_, i) => {
      const month = String(12 - Math.floor(i / 3)).padStart(2, "0");
      return { taken_at: `2008-${month}-1${i % 3}T10:00:00`, width: 300, height: 200 };
    }),
    { taken_at: null, width: 300, height: 200 },
    { taken_at: null, width: 300, height: 200 },
  ];
  const layout = layoutTimeline(photos, OPTIONS);
  const top = (month: string) => layout.monthTops.get(month)!;

  it("is the month whose heading or photos are at the top of the viewport", () => {
    expect(monthAt(layout.blocks, 0)).toBe("2008-12");
    expect(monthAt(layout.blocks, top("2008-10"))).toBe("2008-10");
    // Half way down October's photos; in the empty gap after them, the heading just below.
    expect(monthAt(layout.blocks, (top("2008-10") + top("2008-09")) / 2)).toBe("2008-10");
    expect(monthAt(layout.blocks, top("2008-09") - 1)).toBe("2008-09");
    expect(monthAt(layout.blocks, top("unknown") + 10)).toBeNull();
    expect(monthAt(layout.blocks, layout.height + 500)).toBeNull();
    expect(monthAt([], 0)).toBeUndefined();
  });

  it("does not read the month of the blocks rendered above the viewport", () => {
    // What the scrubber read before: the first block of the rendered window, overscan included.
    const y = top("2008-03");
    const [start] = visibleRange(layout.blocks, y, 800, 900);
    expect(monthAt(layout.blocks, layout.blocks[start]!.top)).not.toBe("2008-03");
    expect(monthAt(layout.blocks, y)).toBe("2008-03");
  });
});
