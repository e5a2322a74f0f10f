import type { Middleware } from "openapi-fetch";
import { SAFE_METHODS } from "./csrf";

/** The code of a 403 that asks for the password again (docs/security.md: "Recently entered password"). */
export const PASSWORD_REQUIRED = "password_required";

/**
 * Asks the person for their password and confirms it with the server
 * (`POST /api/auth/confirm-password`): true once confirmed, false when they decline.
 */
export type AskPassword = () => Promise<boolean>;

let registered: AskPassword | null = null;
let pending: Promise<boolean> | null = null;

/** The signed-in shell registers its password dialog here (null when it goes away). */
export function setPasswordPrompt(ask: AskPassword | null): void {
  registered = ask;
}

/**
 * Asks through the registered dialog; requests refused at the same time share one question.
 * Without a dialog (signed out, a test without the shell) the answer is "declined".
 */
export function askForPassword(): Promise<boolean> {
  if (!registered) return Promise.resolve(false);
  pending ??= registered().finally(() => {
    pending = null;
  });
  return pending;
}

async function asksForPassword(response: Response): Promise<boolean> {
  if (response.status !== 403) return false;
  try {
    const body: unknown = await response.clone().json();
    return typeof body === "object" && body !== null && (body as { code?: unknown }).code === PASSWORD_REQUIRED;
  } catch {
    return false;
  }
}

/**
 * openapi-fetch middleware: a change refused with `password_required` asks for the password
 * and, once it is confirmed, is sent again — once; the second answer is final. Declined, the
 * refusal goes to the caller as it came. Only JSON changes are kept for a retry (uploads are not).
 */
export function passwordMiddleware(ask: AskPassword = askForPassword): Middleware {
  const kept = new Map<string, Request>();
  return {
    onRequest({ request, id }) {
      const json = request.headers.get("Content-Type")?.includes("application/json") ?? !request.body;
      if (!SAFE_METHODS.has(request.method.toUpperCase()) && json) kept.set(id, request.clone());
      return undefined;
    },
    async onResponse({ response, id, options }) {
      const original = kept.get(id);
      kept.delete(id);
      if (!original || !(await asksForPassword(response))) return undefined;
      if (!(await ask())) return undefined;
      return options.fetch(original);
    },
    onError({ id }) {
      kept.delete(id);
      return undefined;
    },
  };
}
