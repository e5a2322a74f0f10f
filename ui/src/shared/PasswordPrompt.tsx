import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { createPortal } from "react-dom";
import { api, unwrap } from "../api/client";
import { ApiError, errorMessage, fieldErrorsOf } from "../api/errors";
import { setPasswordPrompt } from "../api/password";
import { FormAlert } from "./FormAlert";
import { Modal } from "./Modal";
import { TextField } from "./TextField";

/**
 * Answers the API client when a change needs the password entered again (managing users,
 * tokens and library roles: docs/security.md). Mounted once in the signed-in shell; shows
 * {@link PasswordDialog} while asked.
 */
export function PasswordPrompt() {
  const [asking, setAsking] = useState(false);
  const answer = useRef<((confirmed: boolean) => void) | null>(null);

  useEffect(() => {
    setPasswordPrompt(
      () =>
        new Promise<boolean>((resolve) => {
          answer.current = resolve;
          setAsking(true);
        }),
    );
    return () => {
      setPasswordPrompt(null);
      answer.current?.(false); // signed out meanwhile: the waiting request gets its refusal
      answer.current = null;
    };
  }, []);

  if (!asking) return null;
  const finish = (confirmed: boolean) => {
    answer.current?.(confirmed);
    answer.current = null;
    setAsking(false);
  };
  // On the body, not in the shell, which an overlay may have made inert.
  return createPortal(<PasswordDialog onConfirmed={() => finish(true)} onCancel={() => finish(false)} />, document.body);
}

/** "Enter your password again": confirms it with the server; a wrong one is said under the field. */
export function PasswordDialog({ onConfirmed, onCancel }: { onConfirmed: () => void; onCancel: () => void }) {
  const fieldId = useId();
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [message, setMessage] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setMessage(undefined);
    if (!password) {
      setError("Enter your password.");
      return;
    }
    setBusy(true);
    try {
      unwrap(await api.POST("/api/auth/confirm-password", { body: { password } }));
      onConfirmed();
    } catch (err) {
      const field = err instanceof ApiError ? fieldErrorsOf(err.body).password : undefined;
      if (field) setError(field);
      else setMessage(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <Modal title="Confirm your password" onClose={onCancel}>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <p className="muted">To manage accounts, tokens and members, enter your password again.</p>
        {message && <FormAlert>{message}</FormAlert>}
        <TextField
          id={fieldId}
          label="Your password"
          type="password"
          value={password}
          onChange={setPassword}
          error={error}
          autoComplete="current-password"
          autoFocus
        />
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={busy}>
            Confirm
          </button>
        </div>
      </form>
    </Modal>
  );
}
