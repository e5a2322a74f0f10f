// The album pages' logic, kept out of the components so it can be tested on its own: reorder
// math, the share-link form (validation, request bodies), expiry and date-range wording.
import type { components } from "../api/schema";

export type AlbumSort = components["schemas"]["SortEnum"];
export type ReorderBody = components["schemas"]["ReorderRequest"];
export type ShareCreateBody = components["schemas"]["ShareCreateRequest"];
export type SharePatchBody = components["schemas"]["PatchedSharePatchRequest"];

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

function dayText(day: string, options: Intl.DateTimeFormatOptions): string {
  return utcDay(day).toLocaleDateString("en-GB", { ...options, timeZone: "UTC" });
}

/** An album's dates: "30 May 2008", "3 – 9 Jan 2024", "28 Dec 2023 – 2 Jan 2024"; "" when empty. */
export function formatDateRange(from: string | null, to: string | null): string {
  if (!from || !to) return "";
  const full: Intl.DateTimeFormatOptions = { day: "numeric", month: "short", year: "numeric" };
  if (from === to) return dayText(from, full);
  if (from.slice(0, 7) === to.slice(0, 7)) {
    return `${dayText(from, { day: "numeric" })} – ${dayText(to, full)}`;
  }
  if (from.slice(0, 4) === to.slice(0, 4)) {
    return `${dayText(from, { day: "numeric", month: "short" })} – ${dayText(to, full)}`;
  }
  return `${dayText(from, full)} – ${dayText(to, full)}`;
}

// ---------------------------------------------------------------------------------------------
// Share links: expiry

const DAY_MS = 24 * 60 * 60 * 1000;

function two(n: number): string {
  return String(n).padStart(2, "0");
}

/** A local calendar day as `YYYY-MM-DD` (the value of an `<input type="date">`). */
export function localDay(date: Date): string {
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
}

/** The end of a local calendar day (23:59:59.999 there) as an ISO instant: a link "until" that day. */
export function endOfLocalDay(day: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 23, 59, 59, 999);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The local day an expiry falls on, for the date field; "" for none. */
export function expiryDay(expiresAt: string | null): string {
  if (!expiresAt) return "";
  const date = new Date(expiresAt);
  return Number.isNaN(date.getTime()) ? "" : localDay(date);
}

/** "Never expires", "Expired on 3 Jan 2025", "Expires today", "Expires tomorrow", "Expires in 5 days (…)". */
export function describeExpiry(expiresAt: string | null, now: Date = new Date()): string {
  if (!expiresAt) return "Never expires";
  const at = new Date(expiresAt);
  if (Number.isNaN(at.getTime())) return "Never expires";
  const text = at.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric" });
  if (at.getTime() <= now.getTime()) return `Expired on ${text}`;
  const days = Math.round((utcDay(localDay(at)).getTime() - utcDay(localDay(now)).getTime()) / DAY_MS);
  if (days <= 0) {
    const time = at.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
    return `Expires today at ${time}`;
  }
  if (days === 1) return `Expires tomorrow (${text})`;
  return `Expires in ${days} days (${text})`;
}

// ---------------------------------------------------------------------------------------------
// Share links: the form

export type PasswordMode = "none" | "keep" | "set";

export interface ShareForm {
  label: string;
  expires: boolean;
  /** `YYYY-MM-DD`: the link works until the end of that day (local time). */
  expiryDay: string;
  passwordMode: PasswordMode;
  password: string;
  allowDownload: boolean;
  showMetadata: boolean;
  showLocation: boolean;
}

export const NEW_SHARE_FORM: ShareForm = {
  label: "",
  expires: false,
  expiryDay: "",
  passwordMode: "none",
  password: "",
  allowDownload: false,
  showMetadata: true,
  showLocation: false,
};

export const MIN_SHARE_PASSWORD = 4;

/** A link's current settings as the edit form starts from them (its password is kept). */
export function formFromLink(link: {
  label: string;
  expires_at: string | null;
  has_password: boolean;
  allow_download: boolean;
  show_metadata: boolean;
  show_location: boolean;
}): ShareForm {
  return {
    label: link.label,
    expires: link.expires_at !== null,
    expiryDay: expiryDay(link.expires_at),
    passwordMode: link.has_password ? "keep" : "none",
    password: "",
    allowDownload: link.allow_download,
    showMetadata: link.show_metadata,
    showLocation: link.show_location,
  };
}

export type ShareFormErrors = Partial<Record<"expiryDay" | "password", string>>;

export function validateShareForm(form: ShareForm, now: Date = new Date()): ShareFormErrors {
  const errors: ShareFormErrors = {};
  if (form.expires) {
    const end = endOfLocalDay(form.expiryDay);
    if (!end) errors.expiryDay = "Choose the last day the link works.";
    else if (new Date(end).getTime() <= now.getTime()) errors.expiryDay = "The expiry date is in the past.";
  }
  if (form.passwordMode === "set") {
    if (!form.password) errors.password = "Enter a password, or choose no password.";
    else if (form.password.length < MIN_SHARE_PASSWORD) {
      errors.password = `Use at least ${MIN_SHARE_PASSWORD} characters.`;
    }
  }
  return errors;
}

function settingsOf(form: ShareForm) {
  return {
    label: form.label.trim(),
    expires_at: form.expires ? endOfLocalDay(form.expiryDay) : null,
    allow_download: form.allowDownload,
    show_metadata: form.showMetadata,
    show_location: form.showLocation,
  };
}

/** The body creating a link to `target` with these settings. */
export function createBody(
  form: ShareForm,
  target: { album: number } | { photo_ids: number[] },
): ShareCreateBody {
  return {
    ...target,
    ...settingsOf(form),
    password: form.passwordMode === "set" ? form.password : null,
  };
}

/** The PATCH for an existing link: every setting, and the password only when it changes. */
export function patchBody(form: ShareForm): SharePatchBody {
  const body: SharePatchBody = settingsOf(form);
  if (form.passwordMode === "set") body.password = form.password;
  else if (form.passwordMode === "none") body.password = null;
  return body;
}

/** The address people open: the page's origin plus the link's path. */
export function shareUrl(path: string, origin: string = window.location.origin): string {
  return `${origin.replace(/\/$/, "")}${path}`;
}
