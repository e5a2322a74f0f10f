// Filters live in the URL's query string, so a view can be bookmarked and shared. These are the
// pure conversions both ways; `useFilters` reads and writes them through the router.
import type { FilterQuery } from "../api/types";
import { formatBBox, parseBBox } from "./mapGeo";

export type Filters = FilterQuery;

const LIST_KEYS = ["tag", "person", "camera", "lens"] as const;
const INT_KEYS = ["library", "place", "colour", "rating_min", "iso_min", "iso_max"] as const;
const NUMBER_KEYS = [
  "aperture_min",
  "aperture_max",
  "exposure_min",
  "exposure_max",
  "focal_min",
  "focal_max",
] as const;
const BOOL_KEYS = ["flash", "has_gps", "hidden", "archived", "favourite", "trashed", "undated"] as const;
const DATE_KEYS = ["date_from", "date_to"] as const;
const TEXT_KEYS = ["q"] as const;

export type ListKey = (typeof LIST_KEYS)[number];
export type RangeName = "aperture" | "exposure" | "iso" | "focal";

/** Every query parameter that is a filter (anything else in the URL is view state). */
export const FILTER_KEYS: readonly (keyof Filters)[] = [
  "library",
  ...LIST_KEYS,
  "place",
  "colour",
  "rating_min",
  "flash",
  ...NUMBER_KEYS.slice(0, 4),
  "iso_min",
  "iso_max",
  ...NUMBER_KEYS.slice(4),
  ...DATE_KEYS,
  "has_gps",
  "hidden",
  "archived",
  "favourite",
  "trashed",
  "undated",
  "q",
  "bbox",
];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function toInt(value: string): number | undefined {
  return /^-?\d+$/.test(value.trim()) ? Number(value) : undefined;
}

function toNumber(value: string): number | undefined {
  if (value.trim() === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function toBool(value: string): boolean | undefined {
  if (value === "1" || value === "true") return true;
  if (value === "0" || value === "false") return false;
  return undefined;
}

/** The filters in a query string; malformed values are dropped, not guessed. */
export function parseFilters(search: URLSearchParams | string): Filters {
  const params = typeof search === "string" ? new URLSearchParams(search) : search;
  const filters: Filters = {};
  for (const key of LIST_KEYS) {
    const ids = [...new Set(params.getAll(key).map(toInt))].filter((n): n is number => n !== undefined);
    if (ids.length) filters[key] = ids;
  }
  for (const key of INT_KEYS) {
    const raw = params.get(key);
    const n = raw === null ? undefined : toInt(raw);
    if (n !== undefined) filters[key] = n;
  }
  for (const key of NUMBER_KEYS) {
    const raw = params.get(key);
    const n = raw === null ? undefined : toNumber(raw);
    if (n !== undefined) filters[key] = n;
  }
  for (const key of BOOL_KEYS) {
    const raw = params.get(key);
    const b = raw === null ? undefined : toBool(raw);
    if (b !== undefined) filters[key] = b;
  }
  for (const key of DATE_KEYS) {
    const raw = params.get(key);
    if (raw && DATE.test(raw)) filters[key] = raw;
  }
  for (const key of TEXT_KEYS) {
    const raw = params.get(key)?.trim();
    if (raw) filters[key] = raw;
  }
  const area = params.get("bbox");
  const box = area === null ? undefined : parseBBox(area);
  if (box) filters.bbox = formatBBox(box);
  return filters;
}

/** The query string of some filters, in a stable order; `extra` (view state) goes last. */
export function filtersToSearch(filters: Filters, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) {
      for (const item of value) params.append(key, String(item));
    } else if (typeof value === "boolean") {
      params.set(key, value ? "1" : "0");
    } else {
      params.set(key, String(value));
    }
  }
  for (const [key, value] of Object.entries(extra)) if (value) params.set(key, value);
  return params.toString();
}

export function hasFilters(filters: Filters): boolean {
  return activeFilterCount(filters) > 0;
}

/** How many separate conditions are set (each list item counts). */
export function activeFilterCount(filters: Filters): number {
  let n = 0;
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (Array.isArray(value)) n += value.length;
    else if (value !== undefined && value !== "") n += 1;
  }
  return n;
}

export function toggleInList(filters: Filters, key: ListKey, id: number): Filters {
  const current = filters[key] ?? [];
  const next = current.includes(id) ? current.filter((x) => x !== id) : [...current, id];
  return { ...filters, [key]: next.length ? next : undefined };
}

/** Sets (or with undefined, clears) one filter. */
export function withFilter<K extends keyof Filters>(filters: Filters, key: K, value: Filters[K] | undefined): Filters {
  const next = { ...filters };
  if (value === undefined || value === "" || (Array.isArray(value) && value.length === 0)) delete next[key];
  else next[key] = value;
  return next;
}

/**
 * Merges the parameters of a search suggestion into the filters: lists gain the ids, single
 * values are replaced. Unknown keys are ignored.
 */
export function applySuggestion(filters: Filters, params: Record<string, unknown>): Filters {
  const search = new URLSearchParams(filtersToSearch(filters));
  for (const [key, value] of Object.entries(params)) {
    if (!FILTER_KEYS.includes(key as keyof Filters)) continue;
    const values = Array.isArray(value) ? value : [value];
    const isList = (LIST_KEYS as readonly string[]).includes(key);
    if (!isList) search.delete(key);
    for (const v of values) {
      const text = typeof v === "boolean" ? (v ? "1" : "0") : String(v);
      if (isList && search.getAll(key).includes(text)) continue;
      search.append(key, text);
    }
  }
  return parseFilters(search);
}

/** The last day of a "YYYY-MM" month, as YYYY-MM-DD. */
export function endOfMonth(month: string): string {
  const [year = 1970, m = 1] = month.split("-").map(Number);
  const last = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${month}-${String(last).padStart(2, "0")}`;
}

/**
 * The filters of the timeline when it starts at a month (the scrubber's jump): photos up to the
 * end of that month, or the filter's own end date if that is earlier.
 */
export function filtersFrom(filters: Filters, at: string | undefined): Filters {
  if (!at || !/^\d{4}-\d{2}$/.test(at)) return filters;
  const end = endOfMonth(at);
  const dateTo = filters.date_to && filters.date_to < end ? filters.date_to : end;
  return { ...filters, date_to: dateTo };
}
