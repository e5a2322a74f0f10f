import { ApiError, errorMessage, fieldErrorsOf, formErrorOf } from "../api/errors";
import { formatDateTime } from "../shared/format";

export const PASSWORD_MISMATCH = "Passwords do not match.";

export interface PasswordChangeValues {
  oldPassword: string;
  newPassword: string;
  confirmPassword: string;
}
export type PasswordChangeErrors = Partial<Record<keyof PasswordChangeValues, string>>;
export const EMPTY_PASSWORD_CHANGE: PasswordChangeValues = { oldPassword: "", newPassword: "", confirmPassword: "" };

/** The confirmation and empty fields; strength is the server's call (its validators are configurable). */
export function validatePasswordChange(values: PasswordChangeValues): PasswordChangeErrors {
  const errors: PasswordChangeErrors = {};
  if (!values.oldPassword) errors.oldPassword = "Enter your current password.";
  if (!values.newPassword) errors.newPassword = "Choose a new password.";
  else if (values.newPassword === values.oldPassword) errors.newPassword = "Choose a password different from the current one.";
  const confirm = validateConfirm(values.newPassword, values.confirmPassword);
  if (confirm) errors.confirmPassword = confirm;
  return errors;
}

/** The "type it again" check shared by every password form. */
export function validateConfirm(password: string, confirm: string): string | undefined {
  if (!password) return undefined;
  if (!confirm) return "Type the password again.";
  if (confirm !== password) return PASSWORD_MISMATCH;
  return undefined;
}

export interface NewUserValues {
  username: string;
  email: string;
  password: string;
  confirmPassword: string;
  isAdmin: boolean;
}
export type NewUserErrors = Partial<Record<"username" | "email" | "password" | "confirmPassword", string>>;
export const EMPTY_NEW_USER: NewUserValues = { username: "", email: "", password: "", confirmPassword: "", isAdmin: false };

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/;

export function validateNewUser(values: NewUserValues): NewUserErrors {
  const errors: NewUserErrors = {};
  const username = values.username.trim();
  if (!username) errors.username = "Choose a username.";
  else if (username.length > 150) errors.username = "Use at most 150 characters.";
  const email = values.email.trim();
  if (email && !EMAIL_SHAPE.test(email)) errors.email = "Enter a valid email address, or leave it empty.";
  if (!values.password) errors.password = "Choose a password.";
  const confirm = validateConfirm(values.password, values.confirmPassword);
  if (confirm) errors.confirmPassword = confirm;
  return errors;
}

export function hasErrors(errors: Record<string, string | undefined>): boolean {
  return Object.values(errors).some(Boolean);
}

/**
 * A failed request as what the form shows: messages beside the fields it has (renamed from the
 * server's names through `fieldMap`), and one sentence for everything else.
 */
export function mapServerError<F extends string>(
  error: unknown,
  fieldMap: Record<string, F>,
): { fields: Partial<Record<F, string>>; message: string | undefined } {
  const fields: Partial<Record<F, string>> = {};
  if (!(error instanceof ApiError) || error.status !== 400) return { fields, message: errorMessage(error) };
  const other: string[] = [];
  for (const [name, text] of Object.entries(fieldErrorsOf(error.body))) {
    const field = fieldMap[name];
    if (field) fields[field] = text;
    else other.push(text);
  }
  const message = [formErrorOf(error.body), ...other].filter(Boolean).join(" ");
  if (message) return { fields, message };
  return { fields, message: Object.keys(fields).length ? undefined : errorMessage(error) };
}

/** A change of role or access refused by the server (the last admin, yourself …): in its own words. */
export function userChangeError(error: unknown, username: string): string {
  const { message } = mapServerError(error, {});
  return `Could not change ${username}. ${message ?? errorMessage(error)}`;
}

// --- The token shown once -------------------------------------------------------------------

/** The new token: held only in memory until dismissed, never refetched, never cached. */
export type RevealState = { kind: "hidden" } | { kind: "shown"; name: string; token: string; copied: boolean };
export type RevealAction =
  | { type: "created"; name: string; token: string }
  | { type: "copied" }
  | { type: "dismissed" };

export const REVEAL_HIDDEN: RevealState = { kind: "hidden" };

export function revealReducer(state: RevealState, action: RevealAction): RevealState {
  switch (action.type) {
    case "created":
      return { kind: "shown", name: action.name, token: action.token, copied: false };
    case "copied":
      return state.kind === "shown" ? { ...state, copied: true } : state;
    case "dismissed":
      // Once dismissed the token is gone from the page for good: the server keeps only its hash.
      return REVEAL_HIDDEN;
  }
}

// --- Formatting ----------------------------------------------------------------------------

export function formatWhen(iso: string | null, never = "Never"): string {
  if (!iso) return never;
  return formatDateTime(iso) ?? iso;
}
