import { describe, expect, it } from "vitest";
import { exposureLine, flattenMetadata, rawMethodLabel, tagsByType } from "./format";

describe("viewer formatting", () => {
  it("writes the exposure", () => {
    expect(
      exposureLine({ aperture: 2.8, exposure_time: 0.004, iso: 200, focal_length: 50, focal_length_35mm: 75 }),
    ).toBe("f/2.8 · 1/250 s · ISO 200 · 50 mm (75 mm eq.)");
    expect(exposureLine({ aperture: null, exposure_time: 2, iso: null, focal_length: null, focal_length_35mm: null })).toBe("2 s");
  });

  it("flattens nested metadata", () => {
    expect(flattenMetadata({ EXIF: { Make: "Canon", ISO: 100 }, XMP: { Subject: ["a", "b"] }, File: null })).toEqual([
      ["EXIF:Make", "Canon"],
      ["EXIF:ISO", "100"],
      ["XMP:Subject", "a, b"],
      ["File", ""],
    ]);
  });

  it("says how a RAW was made viewable", () => {
    expect(rawMethodLabel("preview")).toBe("Shown from the camera's embedded preview");
    expect(rawMethodLabel("develop")).toBe("Developed from the sensor data");
    expect(rawMethodLabel("develop-half")).toContain("half size");
    expect(rawMethodLabel("preview-fallback")).toContain("could not develop");
    expect(rawMethodLabel("")).toBeNull();
    expect(rawMethodLabel(undefined)).toBeNull();
  });

  it("shows each tag name once, under the kind that takes precedence", () => {
    const tag = (id: number, type: string, name: string, confidence: number, verdict = "auto") => ({ id, type, name, confidence, verdict });
    const groups = tagsByType([
      tag(1, "keyword", "Beach", 1),
      tag(2, "object", "beach", 0.7),
      tag(3, "object", "seashore", 0.6),
      tag(4, "style", "seashore", 0.9),
      tag(5, "style", "bright", 0.8),
      tag(6, "object", "cup", 0.2, "rejected"),
      tag(7, "style", "cup", 0.5),
    ]);
    expect([...groups.entries()].map(([type, tags]) => [type, tags.map((t) => t.id)])).toEqual([
      ["keyword", [1]],
      ["object", [3]],
      // A rejected tag is not shown, so it does not hide the same name of another kind.
      ["style", [5, 7]],
    ]);
  });
});
