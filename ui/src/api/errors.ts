/** A response outside 2xx, with its parsed body (JSON when it was JSON, text otherwise). */
export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;

  constructor(status: number, body: unknown) {
    super(detailOf(body) ?? `Request failed with HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.body = body;
  }
}

export const NETWORK_ERROR_MESSAGE =
  "Could not reach the Photonix server. Check your connection and try again.";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** DRF's `{"detail": "..."}` message, if the body carries one. */
export function detailOf(body: unknown): string | undefined {
  if (isRecord(body) && typeof body.detail === "string" && body.detail) return body.detail;
  return undefined;
}

function messagesOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(messagesOf);
  return [];
}

/**
 * DRF validation errors (`{"field": ["message", ...]}`) as one message per field.
 * `non_field_errors` and `detail` are left out: they belong to the whole form.
 */
export function fieldErrorsOf(body: unknown): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!isRecord(body)) return errors;
  for (const [field, value] of Object.entries(body)) {
    if (field === "detail" || field === "non_field_errors") continue;
    const messages = messagesOf(value);
    if (messages.length) errors[field] = messages.join(" ");
  }
  return errors;
}

/** The form-level message of an error body: `detail` or `non_field_errors`. */
export function formErrorOf(body: unknown): string | undefined {
  const detail = detailOf(body);
  if (detail) return detail;
  if (isRecord(body)) {
    const messages = messagesOf(body.non_field_errors);
    if (messages.length) return messages.join(" ");
  }
  return undefined;
}

/** What to tell a person about a failed request. */
export function errorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return NETWORK_ERROR_MESSAGE;
  if (error.status === 429) {
    return formErrorOf(error.body) ?? "Too many attempts. Wait a minute and try again.";
  }
  if (error.status === 403) {
    return formErrorOf(error.body) ?? "The server refused the request. Reload the page and try again.";
  }
  if (error.status >= 500) {
    return `The server had a problem (HTTP ${error.status}). Try again in a moment.`;
  }
  return formErrorOf(error.body) ?? `The request failed (HTTP ${error.status}).`;
}
