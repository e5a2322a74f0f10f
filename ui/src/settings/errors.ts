import { ApiError, errorMessage, fieldErrorsOf } from "../api/errors";

/**
 * What to tell a person about a failed change: the message on `field` for a 400, else any field
 * message, else the usual message for the status.
 */
export function describeError(error: unknown, field?: string): string {
  if (error instanceof ApiError && error.status === 400) {
    const fields = fieldErrorsOf(error.body);
    const message = (field && fields[field]) || Object.values(fields)[0];
    if (message) return message;
  }
  return errorMessage(error);
}
