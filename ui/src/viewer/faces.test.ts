import { describe, expect, it } from "vitest";
import { faceBoxStyle, faceLabel, facePopoverStyle, visibleFaces } from "./faces";

const face = (id: number, verdict: string) =>
  ({
    id,
    photo: 1,
    library: 1,
    person: null,
    person_name: null,
    verdict,
    box: { x: 0.1, y: 0.2, width: 0.3, height: 0.4 },
    confidence: 0.99,
    size: 80,
    clusterable: true,
    crop_url: `/api/faces/${id}/crop`,
    suggestions: null,
  }) as Parameters<typeof visibleFaces>[0][number];

describe("face boxes", () => {
  it("leave out what a person marked as not a face", () => {
    const faces = [face(1, "auto"), face(2, "rejected"), face(3, "confirmed")];
    expect(visibleFaces(faces).map((f) => f.id)).toEqual([1, 3]);
  });

  it("place a box by its fractions of the displayed image", () => {
    expect(faceBoxStyle({ x: 0.1, y: 0.2, width: 0.3, height: 0.4 })).toEqual({
      left: "10.00%",
      top: "20.00%",
      width: "30.00%",
      height: "40.00%",
    });
  });

  it("keep a box that runs over the edge inside the image", () => {
    expect(faceBoxStyle({ x: 0.9, y: -0.05, width: 0.2, height: 0.3 })).toEqual({
      left: "90.00%",
      top: "0.00%",
      width: "10.00%",
      height: "25.00%",
    });
  });

  it("say whose face it is, an unnamed group by its number, and a face on nobody is unnamed", () => {
    expect(faceLabel({ person: 4, person_name: "Marie Curie" })).toBe("Marie Curie");
    expect(faceLabel({ person: 9, person_name: "" })).toBe("Unnamed person 9");
    expect(faceLabel({ person: null, person_name: null })).toBe("Unnamed");
  });

  it("open their naming under a face high on the photo and above one low on it", () => {
    expect(facePopoverStyle({ x: 0.1, y: 0.2, width: 0.1, height: 0.1 })).toEqual({ left: "10.00%", top: "30.00%" });
    expect(facePopoverStyle({ x: 0.5, y: 0.7, width: 0.1, height: 0.1 })).toEqual({ left: "50.00%", bottom: "30.00%" });
  });
});
