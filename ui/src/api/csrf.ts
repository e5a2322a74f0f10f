import type { Middleware } from "openapi-fetch";

export const CSRF_COOKIE = "csrftoken";
export const CSRF_HEADER = "X-CSRFToken";

/** Methods Django's CSRF check lets through without a token. */
export const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

/** The value of one cookie, or null when it is not set (or set to nothing). */
export function readCookie(name: string, cookies: string = document.cookie): string | null {
  for (const part of cookies.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    if (!raw) return null;
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return null;
}

export interface CsrfOptions {
  /** Reads the token at request time: Django rotates it on login, so it must not be cached. */
  getToken?: () => string | null;
  /** The page's origin; the token is only ever sent back to it. */
  origin?: () => string;
}

/**
 * openapi-fetch middleware adding Django's CSRF header to unsafe requests to our own origin.
 * The token comes from the `csrftoken` cookie that `GET /api/auth/session` sets.
 */
export function csrfMiddleware({
  getToken = () => readCookie(CSRF_COOKIE),
  origin = () => window.location.origin,
}: CsrfOptions = {}): Middleware {
  return {
    onRequest({ request }) {
      if (SAFE_METHODS.has(request.method.toUpperCase())) return undefined;
      if (new URL(request.url).origin !== origin()) return undefined;
      const token = getToken();
      if (token) request.headers.set(CSRF_HEADER, token);
      return request;
    },
  };
}
