import { formatTakenDay } from "./format";

/**
 * A photo's text alternative: what it shows (the server's `caption`: tags, people, place) and the
 * day it was taken, in the reader's language: "Beach and sunset with Anna in Lisbon, Portugal,
 * Dec 7, 2026". Without a caption: "Photo taken Dec 7, 2026".
 */
export function photoAlt(photo: { caption?: string | null; taken_at?: string | null; failed?: boolean }): string {
  const day = formatTakenDay(photo.taken_at);
  const what = photo.caption ? (day ? `${photo.caption}, ${day}` : photo.caption) : day ? `Photo taken ${day}` : "Photo without a date";
  return photo.failed ? `${what} (could not be shown)` : what;
}
