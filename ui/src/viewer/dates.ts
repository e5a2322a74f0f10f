/** A photo's date taken as the date editor shows it, and back: the clock time and its zone. */

const ISO = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** `taken_at` ("2021-06-05T14:30:00+02:00", or without a zone) as the editor's clock time
 * ("2021-06-05T14:30:00") and zone ("+02:00", or "" when unknown). */
export function splitTakenAt(takenAt: string | null | undefined): { local: string; offset: string } {
  const match = takenAt ? ISO.exec(takenAt) : null;
  if (!match) return { local: "", offset: "" };
  const [, day, minutes, seconds, zone] = match;
  return { local: `${day}T${minutes}${seconds ?? ":00"}`, offset: zone === "Z" ? "+00:00" : (zone ?? "") };
}

/** The `taken_at` to send for a clock time from a `datetime-local` input and a zone ("" for
 * unknown); null when the time is not one. */
export function takenAtValue(local: string, offset: string): string | null {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?$/.exec(local.trim());
  if (!match) return null;
  return `${match[1]}T${match[2]}${match[3] ?? ":00"}${offset}`;
}

/** Every zone offset from UTC-12:00 to UTC+14:00 by quarter hours, as "+05:45". */
export function zoneOffsets(): string[] {
  const offsets: string[] = [];
  for (let minutes = -12 * 60; minutes <= 14 * 60; minutes += 15) {
    const sign = minutes < 0 ? "-" : "+";
    const abs = Math.abs(minutes);
    offsets.push(`${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`);
  }
  return offsets;
}
