// The album pages' logic, kept out of the components so it can be tested on its own: reorder
// math, expiry and date-range wording. The share-link form lives in shared/shareLinks.ts (the
// timeline shares selections too); it is re-exported here for the album pages.
import type { AlbumSort, ReorderBody } from "../api/types";
import { formatDate, formatDateRange as formatDayRange, formatTime, plural } from "../shared/format";
import { localDay } from "../shared/shareLinks";

export {
  type PasswordMode,
  type ShareForm,
  type ShareFormErrors,
  MIN_SHARE_PASSWORD,
  NEW_SHARE_FORM,
  createBody,
  downloadNote,
  endOfLocalDay,
  expiryDay,
  formFromLink,
  localDay,
  patchBody,
  shareUrl,
  validateShareForm,
} from "../shared/shareLinks";

// ---------------------------------------------------------------------------------------------
// Reordering

/** `list` with the item at `from` moved so it ends up at index `to` (clamped). */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  if (from < 0 || from >= next.length) return next;
  const [item] = next.splice(from, 1);
  const at = Math.max(0, Math.min(to, next.length));
  next.splice(at, 0, item as T);
  return next;
}

/**
 * Where an item dragged from `from` lands when dropped on the item at `target`, before it or
 * (`after`) behind it: its final index, once it has left its old place.
 */
export function dropIndex(from: number, target: number, after: boolean): number {
  const slot = after ? target + 1 : target;
  return slot > from ? slot - 1 : slot;
}

/**
 * The request for moving photo `id` of `order` to index `to`, or null when nothing moves.
 * An album already in manual order gets a single move (`move` in front of `before`); one sorted
 * by date gets the whole list as it was on screen with the move applied, so its manual order
 * starts from what the person saw.
 */
export function reorderRequest(
  order: readonly number[],
  id: number,
  to: number,
  sort: AlbumSort,
): { body: ReorderBody; order: number[] } | null {
  const from = order.indexOf(id);
  if (from === -1) return null;
  const next = moveItem(order, from, to);
  if (next.every((value, index) => value === order[index])) return null;
  if (sort !== "manual") return { body: { ids: next }, order: next };
  const at = next.indexOf(id);
  return { body: { move: id, before: next[at + 1] ?? null }, order: next };
}

/** The index a keyboard move takes a grabbed photo to; columns make Up/Down jump a row. */
export function keyboardTarget(key: string, index: number, length: number, columns: number): number | null {
  const step = Math.max(1, columns);
  switch (key) {
    case "ArrowLeft":
      return Math.max(0, index - 1);
    case "ArrowRight":
      return Math.min(length - 1, index + 1);
    case "ArrowUp":
      return Math.max(0, index - step);
    case "ArrowDown":
      return Math.min(length - 1, index + step);
    case "Home":
      return 0;
    case "End":
      return length - 1;
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Dates

function utcDay(day: string): Date {
  const [y = 1970, m = 1, d = 1] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

/** An album's dates: "May 30, 2008", "Jan 3 – 9, 2024" (in the reader's language); "" when empty. */
export function formatDateRange(from: string | null, to: string | null): string {
  return formatDayRange(from, to);
}

// ---------------------------------------------------------------------------------------------
// Share links: expiry wording

const DAY_MS = 24 * 60 * 60 * 1000;

/** "Never expires", "Expired on 3 Jan 2025", "Expires today", "Expires tomorrow", "Expires in 5 days (…)". */
export function describeExpiry(expiresAt: string | null, now: Date = new Date()): string {
  if (!expiresAt) return "Never expires";
  const at = new Date(expiresAt);
  if (Number.isNaN(at.getTime())) return "Never expires";
  const text = formatDate(at) ?? "";
  if (at.getTime() <= now.getTime()) return `Expired on ${text}`;
  const days = Math.round((utcDay(localDay(at)).getTime() - utcDay(localDay(now)).getTime()) / DAY_MS);
  if (days <= 0) {
    const time = formatTime(at) ?? "";
    return `Expires today at ${time}`;
  }
  if (days === 1) return `Expires tomorrow (${text})`;
  return `Expires in ${plural(days, "day")} (${text})`;
}
