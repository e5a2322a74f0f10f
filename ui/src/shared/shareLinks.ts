// Public share links as several features need them: the share dialog (album pages, the timeline's
// selection), the links page. The form's logic is kept out of the components so it can be tested
// on its own (albums/logic.test.ts): validation, request bodies, expiry days.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { ShareCreateBody, ShareCreated, ShareLink, SharePatchBody } from "../api/types";

export const shareKeys = {
  all: ["shares"] as const,
  list: (album?: number) => ["shares", "list", album ?? null] as const,
};

// ---------------------------------------------------------------------------------------------
// Expiry days

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
  /** Downloads leave out serial numbers, owner names and maker notes (and the location). */
  stripMetadata: boolean;
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
  stripMetadata: false,
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
  strip_metadata: boolean;
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
    stripMetadata: link.strip_metadata,
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
    strip_metadata: form.stripMetadata,
  };
}

/** What downloaded files carry with these settings (the server writes copies without the rest). */
export function downloadNote(form: Pick<ShareForm, "showLocation" | "stripMetadata">): string {
  if (form.stripMetadata) {
    return "Downloads are copies without the location, camera and lens serial numbers, owner names and maker notes. The originals stay as they are.";
  }
  if (form.showLocation) {
    return "Downloaded originals are the files as they are, with all their metadata, including the GPS location.";
  }
  return "Downloads are copies without the GPS location; they keep the rest of their metadata, such as the camera’s serial number and owner name.";
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

// ---------------------------------------------------------------------------------------------
// Queries

export function useShareLinks(album?: number) {
  return useQuery({
    queryKey: shareKeys.list(album),
    queryFn: async (): Promise<ShareLink[]> =>
      unwrap(await api.GET("/api/shares", { params: { query: album ? { album } : {} } })),
  });
}

export function useShareActions() {
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: shareKeys.all });
  const create = useMutation({
    mutationFn: async (body: ShareCreateBody): Promise<ShareCreated> => unwrap(await api.POST("/api/shares", { body })),
    onSuccess: refresh,
  });
  const update = useMutation({
    mutationFn: async ({ id, body }: { id: number; body: SharePatchBody }) =>
      unwrap(await api.PATCH("/api/shares/{share_id}", { params: { path: { share_id: id } }, body })),
    onSuccess: refresh,
  });
  const revoke = useMutation({
    mutationFn: async (id: number) =>
      unwrap(await api.DELETE("/api/shares/{share_id}", { params: { path: { share_id: id } } })),
    onSuccess: refresh,
  });
  return { create, update, revoke };
}
