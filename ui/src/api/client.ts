import createClient from "openapi-fetch";
import { csrfMiddleware } from "./csrf";
import { ApiError } from "./errors";
import type { paths } from "./schema";

export interface ApiClientOptions {
  baseUrl?: string;
  fetch?: (request: Request) => Promise<Response>;
}

/**
 * The typed API client, generated from the OpenAPI file: the UI never hand-writes fetch calls.
 * Session cookies go along on same-origin requests; unsafe methods carry the CSRF header.
 */
export function createApiClient({ baseUrl, fetch }: ApiClientOptions = {}) {
  const client = createClient<paths>({
    baseUrl: baseUrl ?? window.location.origin,
    credentials: "same-origin",
    // Looked up per call rather than captured once, so tests can stub the global fetch.
    fetch: fetch ?? ((request: Request) => globalThis.fetch(request)),
  });
  client.use(csrfMiddleware());
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
