// Dates as the photographer saw them: `taken_at` carries the local wall-clock time (with or
// without an offset), so the day and month come from its text, not from the browser's zone.

/** "2024-05-03" of a taken_at, or null when the photo has no date. */
export function dayOf(takenAt: string | null | undefined): string | null {
  return takenAt && /^\d{4}-\d{2}-\d{2}/.test(takenAt) ? takenAt.slice(0, 10) : null;
}

function utc(day: string): Date {
  const [y = 1970, m = 1, d = 1] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d || 1));
}

export function formatDay(day: string): string {
  return utc(day).toLocaleDateString(undefined, {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
}

export function formatMonth(month: string): string {
  return utc(`${month}-01`).toLocaleDateString(undefined, { month: "long", year: "numeric", timeZone: "UTC" });
}

export function formatShortMonth(month: string): string {
  return utc(`${month}-01`).toLocaleDateString(undefined, { month: "short", year: "numeric", timeZone: "UTC" });
}

/** Date and time of a taken_at for the info panel, as written (no zone conversion). */
export function formatTakenAt(takenAt: string | null | undefined): string {
  if (!takenAt) return "Unknown date";
  const day = dayOf(takenAt);
  if (!day) return takenAt;
  const time = takenAt.slice(11, 16);
  return time ? `${formatDay(day)}, ${time}` : formatDay(day);
}
