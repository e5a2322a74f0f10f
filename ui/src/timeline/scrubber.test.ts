import { describe, expect, it } from "vitest";
import { fractionOfMonth, monthAtFraction, scrubSegments, yearMarks } from "./scrubber";

const months = [
  { month: "2024-05", count: 50 },
  { month: "2024-04", count: 25 },
  { month: "2023-12", count: 25 },
];

describe("scrubber", () => {
  it("gives months slices proportional to their photos", () => {
    const segments = scrubSegments(months);
    expect(segments.map((s) => [s.start, s.end])).toEqual([
      [0, 0.5],
      [0.5, 0.75],
      [0.75, 1],
    ]);
  });

  it("maps a position to its month and back", () => {
    const segments = scrubSegments(months);
    expect(monthAtFraction(segments, 0)).toBe("2024-05");
    expect(monthAtFraction(segments, 0.49)).toBe("2024-05");
    expect(monthAtFraction(segments, 0.5)).toBe("2024-04");
    expect(monthAtFraction(segments, 0.9)).toBe("2023-12");
    expect(monthAtFraction(segments, 7)).toBe("2023-12");
    expect(monthAtFraction(segments, -1)).toBe("2024-05");
    expect(fractionOfMonth(segments, "2024-04")).toBe(0.5);
    expect(fractionOfMonth(segments, "1999-01")).toBeNull();
    expect(monthAtFraction([], 0.5)).toBeNull();
  });

  it("keeps a tiny month reachable", () => {
    const segments = scrubSegments([
      { month: "2024-01", count: 100_000 },
      { month: "2010-01", count: 1 },
    ]);
    const tiny = segments[1]!;
    expect(tiny.end - tiny.start).toBeGreaterThan(0.0035);
    expect(monthAtFraction(segments, 0.999)).toBe("2010-01");
  });

  it("labels each year once, skipping crowded labels", () => {
    const segments = scrubSegments(months);
    expect(yearMarks(segments)).toEqual([
      { year: "2024", month: "2024-05", position: 0 },
      { year: "2023", month: "2023-12", position: 0.75 },
    ]);
    expect(yearMarks(segments, 0.9)).toEqual([{ year: "2024", month: "2024-05", position: 0 }]);
  });
});
