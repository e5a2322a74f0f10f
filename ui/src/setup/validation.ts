import type { SetupRequest } from "../api/types";

export interface SetupValues {
  username: string;
  password: string;
  confirmPassword: string;
  email: string;
}

export type SetupField = keyof SetupValues;
export type SetupErrors = Partial<Record<SetupField, string>>;

export const EMPTY_SETUP: SetupValues = { username: "", password: "", confirmPassword: "", email: "" };

export const PASSWORD_MISMATCH = "Passwords do not match.";

/** Matches Django's username field limit. */
const USERNAME_MAX = 150;
/** Loose on purpose: the server validates the address; this only catches obvious slips. */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/;

/**
 * Checks the server cannot do for us (the confirmation) and obvious slips worth catching before
 * a round trip. Password strength is the server's call: its validators are configurable.
 */
export function validateSetup(values: SetupValues): SetupErrors {
  const errors: SetupErrors = {};
  const username = values.username.trim();
  if (!username) errors.username = "Choose a username.";
  else if (username.length > USERNAME_MAX)
    errors.username = `Use at most ${USERNAME_MAX} characters.`;

  if (!values.password) errors.password = "Choose a password.";

  if (!values.confirmPassword && values.password) errors.confirmPassword = "Type the password again.";
  else if (values.confirmPassword !== values.password) errors.confirmPassword = PASSWORD_MISMATCH;

  const email = values.email.trim();
  if (email && !EMAIL_SHAPE.test(email)) errors.email = "Enter a valid email address, or leave it empty.";
  return errors;
}

export function hasErrors(errors: SetupErrors): boolean {
  return Object.values(errors).some(Boolean);
}

/** The request body for `POST /api/setup`; an empty email is left out. */
export function toSetupRequest(values: SetupValues): SetupRequest {
  const request: SetupRequest = { username: values.username.trim(), password: values.password };
  const email = values.email.trim();
  if (email) request.email = email;
  return request;
}

const SERVER_FIELDS: readonly SetupField[] = ["username", "password", "email"];

/**
 * Splits the server's field errors into those shown beside a field of this form and a message
 * for the rest (fields this form does not have).
 */
export function splitServerErrors(fieldErrors: Record<string, string>): {
  fields: SetupErrors;
  other: string | undefined;
} {
  const fields: SetupErrors = {};
  const other: string[] = [];
  for (const [field, message] of Object.entries(fieldErrors)) {
    if ((SERVER_FIELDS as readonly string[]).includes(field)) fields[field as SetupField] = message;
    else other.push(`${field}: ${message}`);
  }
  return { fields, other: other.length ? other.join(" ") : undefined };
}
