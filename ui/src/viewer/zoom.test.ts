import { describe, expect, it } from "vitest";
import { clampPan, FIT, fitSize, panBy, swipeDirection, zoomAt } from "./zoom";

const stage = { width: 1000, height: 800 };

describe("viewer zoom", () => {
  it("fits an image inside the stage", () => {
    expect(fitSize({ width: 4000, height: 2000 }, stage)).toEqual({ width: 1000, height: 500 });
    expect(fitSize({ width: 1000, height: 2000 }, stage)).toEqual({ width: 400, height: 800 });
  });

  it("zooms keeping the point under the cursor still", () => {
    const fitted = { width: 1000, height: 800 };
    const view = zoomAt(FIT, 2, { x: 200, y: 100 }, fitted, stage);
    expect(view.scale).toBe(2);
    expect(view).toEqual({ scale: 2, x: -200, y: -100 });
  });

  it("clamps the scale and returns to fit at 1", () => {
    const fitted = { width: 1000, height: 800 };
    expect(zoomAt(FIT, 100, { x: 0, y: 0 }, fitted, stage).scale).toBe(8);
    expect(zoomAt({ scale: 2, x: 50, y: 50 }, 0.1, { x: 0, y: 0 }, fitted, stage)).toEqual(FIT);
  });

  it("keeps panning within the image", () => {
    const fitted = { width: 1000, height: 500 };
    // At 2×, the image is 2000×1000 in a 1000×800 stage: 500 px of slack each side, 100 vertically.
    expect(panBy({ scale: 2, x: 0, y: 0 }, 900, 900, fitted, stage)).toEqual({ scale: 2, x: 500, y: 100 });
    expect(clampPan({ scale: 1, x: 30, y: -30 }, fitted, stage)).toEqual({ scale: 1, x: 0, y: 0 });
  });

  it("recognises swipes", () => {
    expect(swipeDirection(-120, 10, 200)).toBe(-1);
    expect(swipeDirection(120, 10, 200)).toBe(1);
    expect(swipeDirection(40, 0, 200)).toBe(0);
    expect(swipeDirection(100, 90, 200)).toBe(0);
    expect(swipeDirection(-200, 0, 2000)).toBe(0);
  });
});
