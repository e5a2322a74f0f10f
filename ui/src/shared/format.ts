/**
 * Every date, time, number, file size, duration and count the app shows, written the way the
 * reader's browser language writes them (`navigator.language`): one date style, one date-time
 * style, one time style across every page.
 *
 * Building an `Intl` formatter is costly next to using one (a timeline page formats hundreds of
 * dates), so each formatter is built once per language and options and kept.
 *
 * Dates of photos: `taken_at` carries the local wall-clock time (with or without an offset), so
 * the day, month and time come from its text, not from the browser's zone. Instants (when a job
 * ran, when a link expires) are shown in the browser's zone.
 */

/** The reader's language ("en-GB", "de"), "en" when the browser gives none. */
export function userLocale(): string {
  return (typeof navigator !== "undefined" && navigator.language) || "en";
}

const formatters = new Map<string, unknown>();

function cached<T>(kind: string, options: object, make: (locale: string) => T): T {
  const locale = userLocale();
  const key = `${kind}|${locale}|${JSON.stringify(options)}`;
  let formatter = formatters.get(key) as T | undefined;
  if (formatter === undefined) {
    try {
      formatter = make(locale);
    } catch {
      // A language tag the browser reports but Intl refuses: fall back rather than break a page.
      formatter = make("en");
    }
    formatters.set(key, formatter);
  }
  return formatter;
}

function dateFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached("date", options, (locale) => new Intl.DateTimeFormat(locale, options));
}

function numberFormat(options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return cached("number", options, (locale) => new Intl.NumberFormat(locale, options));
}

// The styles every page shares.
const DATE: Intl.DateTimeFormatOptions = { day: "numeric", month: "short", year: "numeric" };
const DAY: Intl.DateTimeFormatOptions = { weekday: "short", ...DATE };
const TIME: Intl.DateTimeFormatOptions = { hour: "numeric", minute: "2-digit" };
const DATE_TIME: Intl.DateTimeFormatOptions = { ...DATE, ...TIME };
const UTC = { timeZone: "UTC" } as const;

// --- Numbers and counts --------------------------------------------------------------------

/** A number as the reader writes it: 1,234.5 or 1.234,5. */
export function formatNumber(value: number, options: Intl.NumberFormatOptions = {}): string {
  return numberFormat(options).format(value);
}

/** A count as people read it: 1,234. */
export function formatCount(count: number): string {
  return numberFormat().format(count);
}

// The nouns are English, so the choice between them follows English rules ("0 photos", "1 photo")
// whatever language writes the number.
const NOUN_RULES = new Intl.PluralRules("en");

/** "1 photo", "12 photos", "1,204 photos": the count in the reader's digits, the noun agreeing. */
export function plural(count: number, singular: string, many = `${singular}s`): string {
  return `${formatCount(count)} ${pluralNoun(count, singular, many)}`;
}

/** The noun alone, agreeing with the count: "photo" or "photos". */
export function pluralNoun(count: number, singular: string, many = `${singular}s`): string {
  return NOUN_RULES.select(count) === "one" ? singular : many;
}

const BYTE_UNITS = ["kilobyte", "megabyte", "gigabyte", "terabyte"] as const;

/** A file size: "900 byte", "7.8 kB", "25 MB" (1024 to the next unit; one decimal below 10). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return formatNumber(bytes, { style: "unit", unit: "byte", unitDisplay: "narrow" });
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return formatNumber(value, {
    style: "unit",
    unit: BYTE_UNITS[unit],
    unitDisplay: "short",
    maximumFractionDigits: value < 10 ? 1 : 0,
  });
}

/** A duration given in milliseconds: "3.2 ms", "45 ms", "1.5 s", "2 min", "3 hr". */
export function formatDuration(ms: number): string {
  const unit = (value: number, name: string, digits: number) =>
    formatNumber(value, { style: "unit", unit: name, unitDisplay: "short", maximumFractionDigits: digits });
  if (ms < 10) return unit(ms, "millisecond", 1);
  if (ms < 1000) return unit(ms, "millisecond", 0);
  if (ms < 60_000) return unit(ms / 1000, "second", 1);
  if (ms < 3_600_000) return unit(ms / 60_000, "minute", 0);
  return unit(ms / 3_600_000, "hour", 1);
}

// --- Shutter speeds ------------------------------------------------------------------------

/**
 * A shutter speed as photographers write it: "1/250 s" below a second (when it is close to a
 * whole fraction), "2 s" or "0.3 s" otherwise; null when unknown.
 */
export function formatExposureTime(seconds: number | null | undefined): string | null {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) return null;
  if (seconds < 1) {
    const denominator = Math.round(1 / seconds);
    // 1/3 s is 0.333…; 0.3 s or 0.4 s (cameras' "0"3", "0"4") are not a whole fraction.
    if (Math.abs(1 / denominator - seconds) / seconds < 0.05) return `1/${formatNumber(denominator, { useGrouping: false })} s`;
  }
  return `${formatNumber(seconds, { maximumFractionDigits: seconds < 1 ? 2 : 1 })} s`;
}

/**
 * Seconds of a shutter speed as people type it: "1/250", "1/250 s", "2", "2 s", "2s", "2\"",
 * "0.5", "0,5"; null for anything else (or a speed of zero).
 */
export function parseExposureTime(text: string): number | null {
  const trimmed = text
    .trim()
    .replace(/\s*(s|sec|secs|seconds?|")$/i, "")
    .trim();
  const fraction = /^(\d+(?:[.,]\d+)?)\s*\/\s*(\d+(?:[.,]\d+)?)$/.exec(trimmed);
  const value = fraction
    ? Number(fraction[1]!.replace(",", ".")) / Number(fraction[2]!.replace(",", "."))
    : /^\d*(?:[.,]\d+)?$/.test(trimmed) && trimmed !== ""
      ? Number(trimmed.replace(",", "."))
      : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : null;
}

// --- Dates of photos (wall-clock text) -----------------------------------------------------

/** "2024-05-03" of a taken_at, or null when the photo has no date. */
export function dayOf(takenAt: string | null | undefined): string | null {
  return takenAt && /^\d{4}-\d{2}-\d{2}/.test(takenAt) ? takenAt.slice(0, 10) : null;
}

/** The wall-clock date (and time, when given) of "2024-05-03" or "2024-05-03T14:05…" as a UTC date. */
function wallClock(text: string): Date {
  const [y = 1970, m = 1, d = 1] = text.slice(0, 10).split("-").map(Number);
  const hour = Number(text.slice(11, 13)) || 0;
  const minute = Number(text.slice(14, 16)) || 0;
  return new Date(Date.UTC(y, m - 1, d || 1, hour, minute));
}

/** A day with its weekday, for the timeline's headings: "Mon, Dec 7, 2026". */
export function formatDay(day: string): string {
  return dateFormat({ ...DAY, ...UTC }).format(wallClock(day));
}

/** "December 2026". */
export function formatMonth(month: string): string {
  return dateFormat({ month: "long", year: "numeric", ...UTC }).format(wallClock(`${month}-01`));
}

/** "Dec 2026". */
export function formatShortMonth(month: string): string {
  return dateFormat({ month: "short", year: "numeric", ...UTC }).format(wallClock(`${month}-01`));
}

/** A photo's date (and time when known), as written: "Mon, Dec 7, 2026, 2:41 PM"; "Unknown date". */
export function formatTakenAt(takenAt: string | null | undefined): string {
  if (!takenAt) return "Unknown date";
  if (!dayOf(takenAt)) return takenAt;
  const withTime = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(takenAt);
  return dateFormat({ ...DAY, ...(withTime ? TIME : {}), ...UTC }).format(wallClock(takenAt));
}

/** The day and month of a "YYYY-MM-DD", without the year: "Dec 7" (a yearly date). */
export function formatDayMonth(day: string): string {
  return dateFormat({ day: "numeric", month: "short", ...UTC }).format(wallClock(day));
}

/** A photo's day without the weekday: "Dec 7, 2026"; null when it has no date. */
export function formatTakenDay(takenAt: string | null | undefined): string | null {
  const day = dayOf(takenAt);
  return day ? dateFormat({ ...DATE, ...UTC }).format(wallClock(day)) : null;
}

/** The days from one to another, shortest form: "Jan 3 – 9, 2024" / "3–9 Jan 2024"; "" when empty. */
export function formatDateRange(from: string | null, to: string | null): string {
  if (!from || !to) return "";
  const format = dateFormat({ ...DATE, ...UTC });
  if (from === to) return format.format(wallClock(from));
  return format.formatRange(wallClock(from), wallClock(to));
}

// --- Instants (shown in the browser's zone) ------------------------------------------------

function instant(value: string | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === "") return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "Dec 7, 2026"; null for no or an unreadable value. */
export function formatDate(value: string | Date | null | undefined): string | null {
  const date = instant(value);
  return date ? dateFormat(DATE).format(date) : null;
}

/** "Dec 7, 2026, 2:41 AM"; null for no or an unreadable value. */
export function formatDateTime(value: string | Date | null | undefined): string | null {
  const date = instant(value);
  return date ? dateFormat(DATE_TIME).format(date) : null;
}

/** "2:41 AM"; null for no or an unreadable value. */
export function formatTime(value: string | Date | null | undefined): string | null {
  const date = instant(value);
  return date ? dateFormat(TIME).format(date) : null;
}

const RELATIVE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
];

/** "just now", "5 minutes ago", "yesterday"; the date and time beyond a week; "—" when unknown. */
export function formatRelative(value: string | null, now: Date = new Date()): string {
  const date = instant(value);
  if (!date) return "—";
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 45) return "just now";
  if (Math.abs(seconds) >= 7 * 86_400) return dateFormat(DATE_TIME).format(date);
  const relative = cached("relative", {}, (locale) => new Intl.RelativeTimeFormat(locale, { numeric: "auto" }));
  for (const [unit, size] of RELATIVE_UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(Math.round(seconds / 60) || -1, "minute");
}

// --- Places --------------------------------------------------------------------------------

/** "52.51234° N, 13.40000° E" with the reader's decimal mark. */
export function formatCoordinates(latitude: number, longitude: number): string {
  const degrees = (value: number) => `${formatNumber(Math.abs(value), { minimumFractionDigits: 5, maximumFractionDigits: 5 })}°`;
  return `${degrees(latitude)} ${latitude >= 0 ? "N" : "S"}, ${degrees(longitude)} ${longitude >= 0 ? "E" : "W"}`;
}
