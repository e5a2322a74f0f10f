import { useId, useRef, useState } from "react";
import { ApiError, errorMessage, fieldErrorsOf } from "../api/errors";
import type { ShareCreated, ShareLink } from "../api/types";
import { FormAlert } from "./FormAlert";
import { Modal } from "./Modal";
import "./shareLinks.css";
import {
  type ShareForm,
  type ShareFormErrors,
  NEW_SHARE_FORM,
  createBody,
  downloadNote,
  formFromLink,
  localDay,
  patchBody,
  shareUrl,
  validateShareForm,
  useShareActions,
} from "./shareLinks";
import { plural } from "./format";

/** The link's settings, shared by the create and edit dialogs. */
function ShareFields({
  form,
  onChange,
  errors,
  editing,
}: {
  form: ShareForm;
  onChange: (form: ShareForm) => void;
  errors: ShareFormErrors;
  editing: boolean;
}) {
  const id = useId();
  const set = <K extends keyof ShareForm>(key: K, value: ShareForm[K]) => onChange({ ...form, [key]: value });
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-label`}>Label (optional)</label>
        <input id={`${id}-label`} value={form.label} maxLength={200} onChange={(event) => set("label", event.target.value)} />
        <p className="field__hint">For you to tell links apart. Links to a selection of photos show it as their title.</p>
      </div>

      <fieldset className="share-form__group">
        <legend>Expiry</legend>
        <label className="check">
          <input type="checkbox" checked={form.expires} onChange={(event) => set("expires", event.target.checked)} />
          Expires
        </label>
        {form.expires && (
          <div className={errors.expiryDay ? "field field--invalid" : "field"}>
            <label htmlFor={`${id}-expiry`}>Last day the link works</label>
            <input
              id={`${id}-expiry`}
              type="date"
              min={localDay(new Date())}
              value={form.expiryDay}
              onChange={(event) => set("expiryDay", event.target.value)}
              aria-invalid={errors.expiryDay ? true : undefined}
              aria-describedby={errors.expiryDay ? `${id}-expiry-error` : undefined}
            />
            {errors.expiryDay && (
              <p id={`${id}-expiry-error`} className="field__error">
                {errors.expiryDay}
              </p>
            )}
          </div>
        )}
      </fieldset>

      <fieldset className="share-form__group">
        <legend>Password</legend>
        <label className="check">
          <input
            type="radio"
            name={`${id}-password-mode`}
            checked={form.passwordMode === "none"}
            onChange={() => set("passwordMode", "none")}
          />
          No password
        </label>
        {editing && (
          <label className="check">
            <input
              type="radio"
              name={`${id}-password-mode`}
              checked={form.passwordMode === "keep"}
              onChange={() => set("passwordMode", "keep")}
            />
            Keep the current password
          </label>
        )}
        <label className="check">
          <input
            type="radio"
            name={`${id}-password-mode`}
            checked={form.passwordMode === "set"}
            onChange={() => set("passwordMode", "set")}
          />
          {editing ? "Set a new password" : "Protect with a password"}
        </label>
        {form.passwordMode === "set" && (
          <div className={errors.password ? "field field--invalid" : "field"}>
            <label htmlFor={`${id}-password`}>Link password</label>
            <input
              id={`${id}-password`}
              type="text"
              autoComplete="off"
              spellCheck={false}
              value={form.password}
              onChange={(event) => set("password", event.target.value)}
              aria-invalid={errors.password ? true : undefined}
              aria-describedby={errors.password ? `${id}-password-error` : `${id}-password-hint`}
            />
            {errors.password ? (
              <p id={`${id}-password-error`} className="field__error">
                {errors.password}
              </p>
            ) : (
              <p id={`${id}-password-hint`} className="field__hint">
                Visitors type it once per browser.{editing ? " Browsers that unlocked with the old one are locked out." : ""}
              </p>
            )}
          </div>
        )}
      </fieldset>

      <fieldset className="share-form__group">
        <legend>What visitors get</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={form.allowDownload}
            onChange={(event) => set("allowDownload", event.target.checked)}
            aria-describedby={`${id}-download-warning`}
          />
          Allow downloading the originals
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={form.stripMetadata}
            disabled={!form.allowDownload}
            onChange={(event) => set("stripMetadata", event.target.checked)}
          />
          Remove serial numbers and owner names from downloads
        </label>
        <p id={`${id}-download-warning`} className={form.allowDownload ? "share-form__warning" : "field__hint"} role={form.allowDownload ? "note" : undefined}>
          {downloadNote(form)}
        </p>
        <label className="check">
          <input type="checkbox" checked={form.showMetadata} onChange={(event) => set("showMetadata", event.target.checked)} />
          Show metadata (date, camera, exposure)
        </label>
        <label className="check">
          <input type="checkbox" checked={form.showLocation} onChange={(event) => set("showLocation", event.target.checked)} />
          Show location
        </label>
      </fieldset>
    </>
  );
}

function serverErrors(error: unknown): ShareFormErrors {
  if (!(error instanceof ApiError)) return {};
  const fields = fieldErrorsOf(error.body);
  const errors: ShareFormErrors = {};
  if (fields.expires_at) errors.expiryDay = fields.expires_at;
  if (fields.password) errors.password = fields.password;
  return errors;
}

/** Create a public link to an album or a selection; then show it once, with a copy button. */
export function CreateShareDialog({
  target,
  subject,
  onClose,
}: {
  target: { album: number } | { photo_ids: number[] };
  /** What is shared, for the title: "Paris", "3 photos". */
  subject: string;
  onClose: () => void;
}) {
  const [form, setForm] = useState<ShareForm>(NEW_SHARE_FORM);
  const [errors, setErrors] = useState<ShareFormErrors>({});
  const { create } = useShareActions();

  if (create.data) return <CreatedLink created={create.data} onClose={onClose} />;

  const shownErrors = { ...serverErrors(create.error), ...errors };
  return (
    <Modal title={`Share link for ${subject}`} onClose={onClose} className="dialog--wide">
      <form
        className="form share-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const found = validateShareForm(form);
          setErrors(found);
          if (Object.keys(found).length === 0) create.mutate(createBody(form, target));
        }}
      >
        {create.isError && <FormAlert>Could not create the link. {errorMessage(create.error)}</FormAlert>}
        <ShareFields form={form} onChange={setForm} errors={shownErrors} editing={false} />
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={create.isPending}>
            Create link
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** A link's address in a read-only field, with a button that copies it. */
function LinkAddress({ path }: { path: string }) {
  const url = shareUrl(path);
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied("yes");
    } catch {
      inputRef.current?.select();
      setCopied("failed");
    }
  };
  return (
    <div className="field">
      <label htmlFor={`${id}-url`}>Share link</label>
      <div className="share-url">
        <input
          ref={inputRef}
          id={`${id}-url`}
          readOnly
          value={url}
          onFocus={(event) => event.currentTarget.select()}
          data-testid="share-url"
        />
        <button type="button" className="button" onClick={() => void copy()}>
          Copy link
        </button>
      </div>
      <p className="field__hint" role="status">
        {copied === "yes" ? "Copied to the clipboard." : copied === "failed" ? "Press Ctrl+C (⌘C) to copy the selected link." : ""}
      </p>
    </div>
  );
}

function CreatedLink({ created, onClose }: { created: ShareCreated; onClose: () => void }) {
  return (
    <Modal
      title="Link created"
      onClose={onClose}
      className="dialog--wide"
      actions={
        <button type="button" className="button button--primary" onClick={onClose}>
          Done
        </button>
      }
    >
      <p className="dialog__body">
        Anyone with this address can open the link. You can copy it again later from <strong>Shared links</strong>.
      </p>
      <LinkAddress path={created.url} />
    </Modal>
  );
}

/** An existing link's address, to copy again. */
export function ShowLinkDialog({ path, subject, onClose }: { path: string; subject: string; onClose: () => void }) {
  return (
    <Modal
      title={`Link for ${subject}`}
      onClose={onClose}
      className="dialog--wide"
      actions={
        <button type="button" className="button button--primary" onClick={onClose}>
          Done
        </button>
      }
    >
      <LinkAddress path={path} />
    </Modal>
  );
}

/** Change a link's settings (its address stays the same). */
export function EditShareDialog({ link, onClose }: { link: ShareLink; onClose: () => void }) {
  const [form, setForm] = useState<ShareForm>(() => formFromLink(link));
  const [errors, setErrors] = useState<ShareFormErrors>({});
  const { update } = useShareActions();
  const shownErrors = { ...serverErrors(update.error), ...errors };
  const subject = link.album_name ?? link.label ?? plural(link.photo_count, "photo");
  return (
    <Modal title={`Edit link for ${subject}`} onClose={onClose} className="dialog--wide">
      <form
        className="form share-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const found = validateShareForm(form);
          setErrors(found);
          if (Object.keys(found).length === 0) {
            update.mutate({ id: link.id, body: patchBody(form) }, { onSuccess: onClose });
          }
        }}
      >
        {update.isError && <FormAlert>Could not save the link. {errorMessage(update.error)}</FormAlert>}
        <ShareFields form={form} onChange={setForm} errors={shownErrors} editing />
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={update.isPending}>
            Save link
          </button>
        </div>
      </form>
    </Modal>
  );
}
