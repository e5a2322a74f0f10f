import createClient from "openapi-fetch";
import { csrfMiddleware } from "./csrf";
import { ApiError } from "./errors";
import { type AskPassword, askForPassword, passwordMiddleware } from "./password";
import type { paths } from "./schema";

export interface ApiClientOptions {
  baseUrl?: string;
  fetch?: (request: Request) => Promise<Response>;
  /** Asks for the password when a change needs it entered again (default: the shell's dialog). */
  askPassword?: AskPassword;
}

/**
 * The typed API client, generated from the OpenAPI file: the UI never hand-writes fetch calls.
 * Session cookies go along on same-origin requests; unsafe methods carry the CSRF header; a change
 * refused until the password is entered again asks for it and is sent once more.
 */
export function createApiClient({ baseUrl, fetch, askPassword = askForPassword }: ApiClientOptions = {}) {
  const client = createClient<paths>({
    baseUrl: baseUrl ?? window.location.origin,
    credentials: "same-origin",
    // Looked up per call rather than captured once, so tests can stub the global fetch.
    fetch: fetch ?? ((request: Request) => globalThis.fetch(request)),
  });
  // In this order: the request kept for a retry already carries the CSRF header.
  client.use(csrfMiddleware(), passwordMiddleware(askPassword));
  return client;
}

export type ApiClient = ReturnType<typeof createApiClient>;

export const api: ApiClient = createApiClient();

/** The data of a 2xx answer; anything else throws an ApiError carrying status and body. */
export function unwrap<Data>(result: {
  data?: Data;
  error?: unknown;
  response: Response;
}): Data {
  if (!result.response.ok) throw new ApiError(result.response.status, result.error);
  return result.data as Data;
}
