// The public share page's logic: which state the page is in, what a failed unlock means, the
// image addresses under the share, and the wording of what a link lets visitors see.
import { ApiError, detailOf } from "../api/errors";
import { formatNumber } from "../shared/format";

/** An unlock refused for too many attempts; `retryAfter` is in seconds. */
export class TooManyAttempts extends ApiError {
  readonly retryAfter: number;

  constructor(body: unknown, retryAfter: number) {
    super(429, body);
    this.name = "TooManyAttempts";
    this.retryAfter = retryAfter;
  }
}

/** Seconds to wait from a `Retry-After` header (seconds or an HTTP date); else from the message. */
export function retryAfterSeconds(header: string | null, detail?: string, now: number = Date.now()): number {
  if (header) {
    const trimmed = header.trim();
    if (/^\d+$/.test(trimmed)) return Math.max(1, Number(trimmed));
    const at = Date.parse(trimmed);
    if (!Number.isNaN(at)) return Math.max(1, Math.ceil((at - now) / 1000));
  }
  const match = detail ? /(\d+)\s*s/.exec(detail) : null;
  return match ? Math.max(1, Number(match[1])) : 60;
}

export type ShareState = "loading" | "missing" | "locked" | "open" | "error";

/** What the page shows, from the info request: a missing link is 404 (unknown, expired or revoked alike). */
export function shareState(query: {
  isPending: boolean;
  error: unknown;
  data?: { locked: boolean } | undefined;
}): ShareState {
  if (query.data) return query.data.locked ? "locked" : "open";
  if (query.error instanceof ApiError && query.error.status === 404) return "missing";
  if (query.error) return "error";
  return "loading";
}

export interface UnlockProblem {
  message: string;
  /** Seconds before another attempt is accepted, for too many attempts. */
  wait: number | null;
}

/** What to tell a visitor after a failed unlock. */
export function unlockProblem(error: unknown): UnlockProblem {
  if (error instanceof TooManyAttempts) {
    return { message: tooManyAttemptsMessage(error.retryAfter), wait: error.retryAfter };
  }
  if (error instanceof ApiError) {
    if (error.status === 400) return { message: "Wrong password. Try again.", wait: null };
    if (error.status === 404) return { message: "This link no longer exists.", wait: null };
    if (error.status === 503) {
      return { message: detailOf(error.body) ?? "Passwords cannot be checked right now; try again later.", wait: null };
    }
    return { message: detailOf(error.body) ?? `Could not unlock (HTTP ${error.status}).`, wait: null };
  }
  return { message: "Could not reach the server. Check your connection and try again.", wait: null };
}

export function tooManyAttemptsMessage(seconds: number): string {
  return `Too many attempts. Try again in ${seconds} s.`;
}

// Addresses under the share: the only images this page ever loads.
export function shareImageUrl(token: string, id: number, size: "grid" | "preview", version: number): string {
  return `/api/share/${encodeURIComponent(token)}/photos/${id}/thumbnail/${size}?v=${version}`;
}

export function shareOriginalUrl(token: string, id: number): string {
  return `/api/share/${encodeURIComponent(token)}/photos/${id}/original`;
}

/** All of a link's photos as one zip (only when the link allows downloads). */
export function shareZipUrl(token: string): string {
  return `/api/share/${encodeURIComponent(token)}/download`;
}

/** The id `delta` steps from `id` in `ids`, or null at either end. */
export function neighbour(ids: readonly number[], id: number, delta: number): number | null {
  const index = ids.indexOf(id);
  if (index === -1) return null;
  return ids[index + delta] ?? null;
}

/** A photo id from the `?photo=` parameter, or null. */
export function photoParam(value: string | null): number | null {
  if (!value || !/^\d+$/.test(value)) return null;
  const id = Number(value);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

// Exposure wording for the info panel.
export function formatAperture(aperture: number | null): string | null {
  return aperture === null ? null : `f/${formatNumber(aperture, { maximumFractionDigits: 1 })}`;
}

export function formatFocal(focal: number | null, focal35: number | null): string | null {
  if (focal === null) return null;
  const base = `${formatNumber(focal, { maximumFractionDigits: 1 })} mm`;
  return focal35 !== null && Math.round(focal35) !== Math.round(focal) ? `${base} (${formatNumber(Math.round(focal35))} mm equiv.)` : base;
}
