// Pure map arithmetic shared by the Map page, the viewer's mini-map and the timeline's filters:
// the `bbox` filter (west,south,east,north), when to give up on a tile server, where a country's
// label goes and when it fits, and the URL of one tile to test a template with.

/** An area in degrees; `west > east` when it crosses the antimeridian. */
export interface BBox {
  west: number;
  south: number;
  east: number;
  north: number;
}

import { formatTakenAt } from "./format";

const round = (n: number) => Math.round(n * 1e5) / 1e5;

/** A longitude brought into -180..180 (a view that panned round the world has others). */
export function wrapLon(lon: number): number {
  const wrapped = ((((lon + 180) % 360) + 360) % 360) - 180;
  return wrapped === -180 && lon > 0 ? 180 : wrapped;
}

/**
 * The area a map view shows, as the server's `bbox` filter understands it: longitudes wrapped
 * into -180..180 (west > east when the view straddles the antimeridian), latitudes clamped, the
 * whole world when the view is wider than it.
 */
export function boundsToBBox(west: number, south: number, east: number, north: number): BBox {
  const lat = (n: number) => round(Math.min(90, Math.max(-90, n)));
  if (east - west >= 360) return { west: -180, south: lat(south), east: 180, north: lat(north) };
  return { west: round(wrapLon(west)), south: lat(south), east: round(wrapLon(east)), north: lat(north) };
}

export function formatBBox(box: BBox): string {
  return [box.west, box.south, box.east, box.north].join(",");
}

/** `west,south,east,north` from a URL, or undefined for anything the server would refuse. */
export function parseBBox(text: string): BBox | undefined {
  const parts = text.split(",");
  if (parts.length !== 4 || parts.some((p) => p.trim() === "")) return undefined;
  const [west, south, east, north] = parts.map(Number) as [number, number, number, number];
  if (![west, south, east, north].every(Number.isFinite)) return undefined;
  if (Math.abs(west) > 180 || Math.abs(east) > 180 || Math.abs(south) > 90 || Math.abs(north) > 90) return undefined;
  if (south > north) return undefined;
  return { west, south, east, north };
}

/** A short name for an area, for the timeline's filter chip. */
export function bboxLabel(box: BBox): string {
  const ns = (n: number) => `${Math.abs(n).toFixed(1)}°${n < 0 ? "S" : "N"}`;
  const ew = (n: number) => `${Math.abs(n).toFixed(1)}°${n < 0 ? "W" : "E"}`;
  return `Map area ${ns(box.south)}–${ns(box.north)}, ${ew(box.west)}–${ew(box.east)}`;
}

// A tile server is given up when this many of its first tiles failed and none loaded.
export const FALLBACK_AFTER_ERRORS = 2;

/** Counts a tile layer's first tiles; says when to fall back to the offline world layer. */
export class TileHealth {
  loads = 0;
  errors = 0;

  /** A tile loaded: the server works (later errors are single missing tiles). */
  load(): void {
    this.loads += 1;
  }

  /** A tile failed; true when the server looks unreachable. */
  error(): boolean {
    this.errors += 1;
    return this.loads === 0 && this.errors >= FALLBACK_AFTER_ERRORS;
  }

  /** Every tile in view has answered (Leaflet's `load`); true when none of them loaded. */
  settled(): boolean {
    return this.loads === 0 && this.errors > 0;
  }
}

/** The host a tile template fetches from (`{s}` as its first subdomain), for messages. */
export function tileHost(template: string): string {
  const match = /^[a-z]+:\/\/([^/]+)/i.exec(template.replace("{s}", "a"));
  return match?.[1] ?? template;
}

/** The URL of the whole world's tile (zoom 0), to test a template from the browser. */
export function testTileUrl(template: string): string {
  return template
    .replace("{s}", "a")
    .replace("{z}", "0")
    .replace("{x}", "0")
    .replace("{y}", "0")
    .replace("{r}", "");
}

/** Whether a template looks usable (the server checks it fully): http(s) with {z}, {x}, {y}. */
export function looksLikeTileTemplate(template: string): boolean {
  return /^https?:\/\/[^/\s]+/i.test(template) && ["{z}", "{x}", "{y}"].every((p) => template.includes(p));
}

type Ring = number[][];

function ringArea(ring: Ring): number {
  let area = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi = 0, yi = 0] = ring[i] ?? [];
    const [xj = 0, yj = 0] = ring[j] ?? [];
    area += xj * yi - xi * yj;
  }
  return area / 2;
}

function ringCentroid(ring: Ring): [number, number] {
  const area = ringArea(ring);
  if (area === 0) {
    const [x = 0, y = 0] = ring[0] ?? [];
    return [x, y];
  }
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi = 0, yi = 0] = ring[i] ?? [];
    const [xj = 0, yj = 0] = ring[j] ?? [];
    const f = xj * yi - xi * yj;
    cx += (xi + xj) * f;
    cy += (yi + yj) * f;
  }
  return [cx / (6 * area), cy / (6 * area)];
}

/** What a country's label needs from its geometry: where it goes, and how wide the country is. */
export interface LabelPlace {
  lat: number;
  lon: number;
  /** Width in degrees of longitude of its largest part. */
  span: number;
}

/**
 * The label place of a (multi)polygon: the centroid of its largest part's outer ring (so France's
 * label sits in France, not between it and French Guiana).
 */
export function labelPlace(geometry: { type: string; coordinates?: unknown }): LabelPlace | undefined {
  const polygons: Ring[][] =
    geometry.type === "Polygon"
      ? [geometry.coordinates as Ring[]]
      : geometry.type === "MultiPolygon"
        ? (geometry.coordinates as Ring[][])
        : [];
  let best: Ring | undefined;
  let bestArea = 0;
  for (const polygon of polygons) {
    const outer = polygon[0];
    if (!outer) continue;
    const area = Math.abs(ringArea(outer));
    if (area > bestArea) {
      best = outer;
      bestArea = area;
    }
  }
  if (!best) return undefined;
  const [lon, lat] = ringCentroid(best);
  const lons = best.map((p) => p[0] ?? 0);
  return { lat, lon, span: Math.max(...lons) - Math.min(...lons) };
}

// A label is shown once its country is this many pixels wide on screen.
export const LABEL_MIN_PIXELS = 70;

/** Whether a country `span` degrees wide is wide enough for its name at `zoom`. */
export function labelFits(span: number, zoom: number): boolean {
  return (span / 360) * 256 * 2 ** zoom >= LABEL_MIN_PIXELS;
}

/** Where a place is, in words: 48.850°N 2.350°E. */
export function formatLatLon(lat: number, lon: number): string {
  return `${Math.abs(lat).toFixed(3)}°${lat < 0 ? "S" : "N"} ${Math.abs(lon).toFixed(3)}°${lon < 0 ? "W" : "E"}`;
}

/** What a photo's marker says to a screen reader and in its tooltip: when and where it was taken. */
export function markerTitle(lat: number, lon: number, takenAt: string | null | undefined): string {
  const where = formatLatLon(lat, lon);
  return takenAt ? `Photo taken ${formatTakenAt(takenAt)}, at ${where}` : `Photo at ${where}, date unknown`;
}

type Position = number[];

/**
 * A ring or line whose longitudes jump across the antimeridian (179.9 → -179.9, as Natural
 * Earth cuts Russia and Fiji) made continuous (179.9 → 180.1), so that Leaflet does not draw a
 * stroke across the whole world. A ring round a pole (Antarctica: it does not come back to
 * where it started once unwrapped) is left as it is.
 */
export function unwrapLongitudes(points: Position[]): Position[] {
  let shift = 0;
  const out: Position[] = [];
  let previous: number | undefined;
  for (const [lon = 0, lat = 0, ...rest] of points) {
    if (previous !== undefined) {
      const step = lon + shift - previous;
      if (step > 180) shift -= 360;
      else if (step < -180) shift += 360;
    }
    previous = lon + shift;
    out.push([lon + shift, lat, ...rest]);
  }
  const first = points[0];
  const last = points[points.length - 1];
  const closed = first !== undefined && last !== undefined && first[0] === last[0] && first[1] === last[1];
  if (closed && out[out.length - 1]?.[0] !== out[0]?.[0]) return points;
  return out;
}

interface AnyGeometry {
  type: string;
  coordinates?: unknown;
  geometries?: AnyGeometry[];
}

/** `unwrapLongitudes` on every ring and line of a GeoJSON geometry, in place. */
export function unwrapGeometry<T extends AnyGeometry>(geometry: T): T {
  const g = geometry as AnyGeometry;
  if (g.type === "LineString") g.coordinates = unwrapLongitudes(g.coordinates as Position[]);
  else if (g.type === "Polygon" || g.type === "MultiLineString")
    g.coordinates = (g.coordinates as Position[][]).map(unwrapLongitudes);
  else if (g.type === "MultiPolygon")
    g.coordinates = (g.coordinates as Position[][][]).map((polygon) => polygon.map(unwrapLongitudes));
  else if (g.type === "GeometryCollection") g.geometries?.forEach(unwrapGeometry);
  return geometry;
}
