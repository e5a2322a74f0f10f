import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { base64ToBytes, placeholderDataURL, rgbaToDataURL, thumbHashAspectRatio, thumbHashToRGBA } from "./thumbhash";

// Hashes of two fixture photos and what photonix/media/placeholder.py decodes them to.
const VECTORS = [
  {
    hash: "kQgGDYIIapeRhpdhe2aah7X3Kgtc", // jpeg-exif/Canon_40D.jpg
    w: 32,
    h: 23,
    pixels: [
      [0, 0, [46, 52, 15, 255]],
      [7, 5, [61, 66, 40, 255]],
      [31, 22, [99, 70, 42, 255]],
    ],
    mean: 114.98709239130434,
  },
  {
    hash: "2BgGHYSkpqp/emdoeFiHd1+lkQI4", // png-webp-tiff/kodim03.png
    w: 32,
    h: 23,
    pixels: [
      [0, 0, [107, 136, 99, 255]],
      [7, 5, [117, 119, 72, 255]],
      [31, 22, [98, 96, 115, 255]],
    ],
    mean: 136.23097826086956,
  },
] as const;

describe("thumbHashToRGBA", () => {
  it.each(VECTORS)("decodes $hash like the server's reference decoder", ({ hash, w, h, pixels, mean }) => {
    const image = thumbHashToRGBA(base64ToBytes(hash));
    expect([image.w, image.h]).toEqual([w, h]);
    for (const [x, y, rgba] of pixels) {
      const i = (y * image.w + x) * 4;
      const got = Array.from(image.rgba.slice(i, i + 4));
      got.forEach((value, c) => expect(Math.abs(value - rgba[c]!)).toBeLessThanOrEqual(1));
    }
    const average = image.rgba.reduce((sum, v) => sum + v, 0) / image.rgba.length;
    expect(average).toBeCloseTo(mean, 0);
  });

  it("knows the aspect ratio from the header", () => {
    expect(thumbHashAspectRatio(base64ToBytes(VECTORS[0].hash))).toBeCloseTo(7 / 5);
  });

  it("rejects a hash too short to have a header", () => {
    expect(() => thumbHashToRGBA(new Uint8Array([1, 2]))).toThrow();
  });
});

describe("rgbaToDataURL", () => {
  it("writes a PNG whose pixels are the input", () => {
    const { w, h, rgba } = thumbHashToRGBA(base64ToBytes(VECTORS[1].hash));
    const url = rgbaToDataURL(w, h, rgba);
    expect(url.startsWith("data:image/png;base64,")).toBe(true);
    const png = Buffer.from(url.split(",")[1] ?? "", "base64");
    expect(png.readUInt32BE(16)).toBe(w);
    expect(png.readUInt32BE(20)).toBe(h);
    const idatLength = png.readUInt32BE(33);
    const raw = inflateSync(png.subarray(41, 41 + idatLength));
    // Each row: a filter byte (0), then the row's RGBA.
    const row = w * 4 + 1;
    expect(raw.length).toBe(row * h);
    expect(Array.from(raw.subarray(1, 5))).toEqual(Array.from(rgba.subarray(0, 4)));
    expect(Array.from(raw.subarray(row * (h - 1) + 1, row * h))).toEqual(Array.from(rgba.subarray(w * 4 * (h - 1))));
  });
});

describe("placeholderDataURL", () => {
  it("answers empty for a missing or broken hash", () => {
    expect(placeholderDataURL("")).toBe("");
    expect(placeholderDataURL("AA==")).toBe("");
  });
});
