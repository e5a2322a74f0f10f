import { describe, expect, it } from "vitest";
import {
  bboxLabel,
  unwrapGeometry,
  unwrapLongitudes,
  boundsToBBox,
  FALLBACK_AFTER_ERRORS,
  formatBBox,
  labelFits,
  labelPlace,
  markerTitle,
  parseBBox,
  testTileUrl,
  TileHealth,
  tileHost,
  wrapLon,
} from "./mapGeo";

describe("bbox", () => {
  it("wraps the longitudes of a view that panned round the world", () => {
    expect(wrapLon(190)).toBe(-170);
    expect(wrapLon(-190)).toBe(170);
    expect(wrapLon(180)).toBe(180);
    expect(wrapLon(-180)).toBe(-180);
    expect(wrapLon(540)).toBe(180);
  });

  it("turns a view into the server's filter, across the antimeridian too", () => {
    expect(boundsToBBox(2.1234567, 48.1, 2.5, 49)).toEqual({ west: 2.12346, south: 48.1, east: 2.5, north: 49 });
    // A view from 170°E to 190°E (-170°) straddles the antimeridian: west > east.
    expect(boundsToBBox(170, -20, 190, -10)).toEqual({ west: 170, south: -20, east: -170, north: -10 });
    // Wider than the world: all of it; latitudes beyond the poles are clamped.
    expect(boundsToBBox(-300, -95, 200, 95)).toEqual({ west: -180, south: -90, east: 180, north: 90 });
  });

  it("reads back what it writes and refuses what the server would", () => {
    const box = { west: 170, south: -20, east: -170, north: -10 };
    expect(parseBBox(formatBBox(box))).toEqual(box);
    for (const bad of ["", "1,2,3", "1,2,3,4,5", "a,b,c,d", "0,,1,2", "-181,0,0,1", "0,-91,1,1", "0,50,1,40", "0,0,Infinity,1"]) {
      expect(parseBBox(bad)).toBeUndefined();
    }
  });

  it("names an area in words", () => {
    expect(bboxLabel({ west: -10, south: 35, east: 30, north: 61 })).toBe("Map area 35.0°N–61.0°N, 10.0°W–30.0°E");
  });
});

describe("TileHealth", () => {
  it("gives a server up when its first tiles fail", () => {
    const health = new TileHealth();
    for (let i = 1; i < FALLBACK_AFTER_ERRORS; i++) expect(health.error()).toBe(false);
    expect(health.error()).toBe(true);
  });

  it("keeps a server whose tiles load, even when some fail", () => {
    const health = new TileHealth();
    health.load();
    for (let i = 0; i < 10; i++) expect(health.error()).toBe(false);
    expect(health.settled()).toBe(false);
  });

  it("gives up when every tile in view has answered and none loaded", () => {
    const health = new TileHealth();
    expect(health.settled()).toBe(false);
    health.error();
    expect(health.settled()).toBe(true);
  });
});

describe("tile templates", () => {
  it("makes the world tile's URL and names the host", () => {
    expect(testTileUrl("https://{s}.tile.example.org/{z}/{x}/{y}{r}.png")).toBe("https://a.tile.example.org/0/0/0.png");
    expect(tileHost("http://127.0.0.1:8123/{z}/{x}/{y}.png")).toBe("127.0.0.1:8123");
    expect(tileHost("https://{s}.tile.example.org/{z}/{x}/{y}.png")).toBe("a.tile.example.org");
  });
});

describe("labels", () => {
  it("puts a label in the largest part of a country", () => {
    const square = (x: number, y: number, size: number) => [
      [
        [x, y],
        [x + size, y],
        [x + size, y + size],
        [x, y + size],
        [x, y],
      ],
    ];
    const place = labelPlace({ type: "MultiPolygon", coordinates: [square(-60, 0, 2), square(0, 40, 10)] });
    expect(place).toEqual({ lat: 45, lon: 5, span: 10 });
    expect(labelPlace({ type: "Point", coordinates: [0, 0] })).toBeUndefined();
  });

  it("shows a name once the country is wide enough on screen", () => {
    expect(labelFits(10, 2)).toBe(false); // about 28 px
    expect(labelFits(10, 4)).toBe(true); // about 114 px
    expect(labelFits(60, 2)).toBe(true);
  });
});

describe("markerTitle", () => {
  it("says when and where, not an id", () => {
    expect(markerTitle(48.85, 2.35, "2019-07-14T09:00:00+02:00")).toMatch(/^Photo taken .*2019.*9:00.*, at 48\.850°N 2\.350°E$/);
    expect(markerTitle(-33.9, -70.6, null)).toBe("Photo at 33.900°S 70.600°W, date unknown");
  });
});

describe("unwrapLongitudes", () => {
  it("makes a ring cut by the antimeridian continuous", () => {
    const ring = [[179, 65], [-179, 66], [-178, 64], [179, 65]];
    expect(unwrapLongitudes(ring)).toEqual([[179, 65], [181, 66], [182, 64], [179, 65]]);
  });

  it("leaves a ring round a pole and ordinary rings as they are", () => {
    const pole = [[-180, -80], [0, -80], [180, -80], [180, -90], [-180, -90], [-180, -80]];
    expect(unwrapLongitudes(pole)).toEqual(pole);
    const plain = [[1, 1], [2, 2], [1, 2], [1, 1]];
    expect(unwrapLongitudes(plain)).toEqual(plain);
  });

  it("unwraps every ring of a multipolygon", () => {
    const shape = unwrapGeometry({ type: "MultiPolygon", coordinates: [[[[170, 1], [-170, 1], [-170, 2], [170, 1]]]] });
    expect(shape.coordinates).toEqual([[[[170, 1], [190, 1], [190, 2], [170, 1]]]]);
  });
});
