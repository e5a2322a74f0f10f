import { describe, expect, it } from "vitest";
import type { PhotoTag, PhotoTags } from "../api/types";
import { objectBoxes, objectLabel } from "./objects";

const row = (tag: number, name: string, confidence: number, box: number[] | null, extra: Partial<PhotoTag> = {}): PhotoTag => ({
  id: tag * 100 + Math.round(confidence * 100),
  tag,
  type: "object",
  name,
  parent_name: "",
  confidence,
  significance: 1,
  box,
  source: "detect",
  verdict: "auto",
  version: 1,
  ...extra,
});

describe("object boxes", () => {
  it("are the object tags with a box, surest first, each box once", () => {
    const tags: PhotoTags = {
      photo: 1,
      tags: {
        object: [
          row(1, "person", 0.73, [0.1, 0.2, 0.3, 0.4]),
          row(2, "horse", 0.96, [0.5, 0.1, 0.4, 0.8]),
          row(2, "horse", 0.96, [0.5, 0.1, 0.4, 0.8], { source: "other" }),
          row(3, "dog", 0.5, null, { source: "object" }),
          row(1, "person", 0.42, [0.0, 0.2, 0.1, 0.4]),
          row(4, "tie", 0.5, [0.2, 0.5, 0.05, 0.2], { verdict: "rejected" }),
        ],
        colour: [row(5, "Red", 0.9, [0, 0, 1, 1], { type: "colour" })],
      },
    };
    expect(objectBoxes(tags).map((o) => [o.name, o.confidence])).toEqual([
      ["horse", 0.96],
      ["person", 0.73],
      ["person", 0.42],
    ]);
    expect(objectBoxes(tags)[0]?.box).toEqual({ x: 0.5, y: 0.1, width: 0.4, height: 0.8 });
  });

  it("are none before the tags arrive", () => {
    expect(objectBoxes(undefined)).toEqual([]);
  });

  it("say their class and the detector's score", () => {
    expect(objectLabel({ name: "horse", confidence: 0.9609 })).toBe("horse 96 %");
  });
});
