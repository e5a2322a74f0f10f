import { type FormEvent, useReducer, useState } from "react";
import { errorMessage } from "../api/errors";
import type { ApiToken, User } from "../api/types";
import { FormAlert } from "../shared/FormAlert";
import { ConfirmModal } from "../shared/Modal";
import { QueryState } from "../shared/QueryState";
import { useShellUser } from "../shared/shell";
import { TextField } from "../shared/TextField";
import {
  EMPTY_PASSWORD_CHANGE,
  formatWhen,
  hasErrors,
  mapServerError,
  type PasswordChangeErrors,
  type PasswordChangeValues,
  REVEAL_HIDDEN,
  revealReducer,
  validatePasswordChange,
} from "./logic";
import { useChangePassword, useTokenActions, useTokens } from "./queries";
import "./users.css";

export function AccountPage() {
  return <Account user={useShellUser()} />;
}

function Account({ user }: { user: User }) {
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Account</h1>
          <p className="muted page-header__intro">Signed in as {user.username}.</p>
        </div>
      </div>
      <ChangePassword />
      <Tokens />
    </>
  );
}

const PASSWORD_FIELDS = { old_password: "oldPassword", new_password: "newPassword" } as const;

function ChangePassword() {
  const change = useChangePassword();
  const [values, setValues] = useState<PasswordChangeValues>(EMPTY_PASSWORD_CHANGE);
  const [errors, setErrors] = useState<PasswordChangeErrors>({});
  const [message, setMessage] = useState<string | undefined>();
  const [done, setDone] = useState(false);
  const set = (key: keyof PasswordChangeValues) => (value: string) => setValues((v) => ({ ...v, [key]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validatePasswordChange(values);
    setErrors(found);
    setMessage(undefined);
    setDone(false);
    if (hasErrors(found)) return;
    change.mutate(
      { old_password: values.oldPassword, new_password: values.newPassword },
      {
        onSuccess: () => {
          setValues(EMPTY_PASSWORD_CHANGE);
          setDone(true);
        },
        onError: (err) => {
          const mapped = mapServerError(err, PASSWORD_FIELDS);
          setErrors(mapped.fields);
          setMessage(mapped.message);
        },
      },
    );
  };

  return (
    <section className="account__section" aria-labelledby="password-heading">
      <h2 id="password-heading">Password</h2>
      <form className="form" onSubmit={submit} noValidate>
        {done && (
          <div className="notice notice--ok" role="status">
            Your password is changed. Your other sessions are signed out; this one stays.
          </div>
        )}
        {message && <FormAlert>{message}</FormAlert>}
        <TextField id="old-password" label="Current password" type="password" value={values.oldPassword} onChange={set("oldPassword")} error={errors.oldPassword} autoComplete="current-password" />
        <TextField id="new-password" label="New password" type="password" value={values.newPassword} onChange={set("newPassword")} error={errors.newPassword} autoComplete="new-password" />
        <TextField id="confirm-password" label="Confirm new password" type="password" value={values.confirmPassword} onChange={set("confirmPassword")} error={errors.confirmPassword} autoComplete="new-password" />
        <button type="submit" className="button button--primary" disabled={change.isPending}>
          Change password
        </button>
      </form>
    </section>
  );
}

function Tokens() {
  const tokens = useTokens();
  const { create, revoke } = useTokenActions();
  const [reveal, dispatch] = useReducer(revealReducer, REVEAL_HIDDEN);
  const [name, setName] = useState("");
  const [nameError, setNameError] = useState<string | undefined>();
  const [createError, setCreateError] = useState<string | undefined>();
  const [copyError, setCopyError] = useState(false);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCreateError(undefined);
    const trimmed = name.trim();
    if (!trimmed) {
      setNameError("Name the token after what will use it.");
      return;
    }
    setNameError(undefined);
    create.mutate(trimmed, {
      onSuccess: (created) => {
        setName("");
        setCopyError(false);
        dispatch({ type: "created", name: created.name, token: created.token });
      },
      onError: (err) => {
        const mapped = mapServerError(err, { name: "name" as const });
        setNameError(mapped.fields.name);
        setCreateError(mapped.message);
      },
    });
  };

  const copy = async (token: string) => {
    try {
      await navigator.clipboard.writeText(token);
      setCopyError(false);
      dispatch({ type: "copied" });
    } catch {
      setCopyError(true);
    }
  };

  return (
    <section className="account__section" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">API tokens</h2>
      <p className="muted">
        For scripts and apps: send <code>Authorization: Bearer &lt;token&gt;</code>. A token acts as you, but cannot
        change your password or create more tokens.
      </p>
      {reveal.kind === "shown" && (
        <div className="token-reveal" data-testid="token-reveal">
          <p role="alert" className="alert">
            Copy the token “{reveal.name}” now. It is shown only this once: Photonix keeps only a hash and cannot show it
            again.
          </p>
          <div className="token-reveal__value">
            <code data-testid="new-token">{reveal.token}</code>
            <button type="button" className="button button--small" onClick={() => void copy(reveal.token)}>
              {reveal.copied ? "Copied" : "Copy"}
            </button>
          </div>
          {copyError && <p className="field__error">Could not copy; select the token and copy it by hand.</p>}
          <button type="button" className="button" onClick={() => dispatch({ type: "dismissed" })}>
            I have saved it
          </button>
        </div>
      )}
      <form className="account__inline" onSubmit={submit} noValidate>
        <TextField id="token-name" label="New token name" value={name} onChange={setName} error={nameError} maxLength={100} placeholder="backup script" />
        <button type="submit" className="button button--primary" disabled={create.isPending}>
          Create token
        </button>
      </form>
      {createError && <FormAlert>Could not create the token. {createError}</FormAlert>}
      {revoke.isError && <FormAlert>Could not revoke the token. {errorMessage(revoke.error)}</FormAlert>}
      <QueryState query={tokens} loading="Loading tokens…" error="Could not load your tokens.">
        {(list) =>
          list.length === 0 ? (
            <p className="muted">No API tokens.</p>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Prefix</th>
                    <th scope="col">Created</th>
                    <th scope="col">Last used</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((token) => (
                    <tr key={token.id} data-testid={`token-${token.id}`}>
                      <td>{token.name}</td>
                      <td>
                        <code>{token.prefix}…</code>
                      </td>
                      <td>{formatWhen(token.created_at)}</td>
                      <td>{formatWhen(token.last_used_at)}</td>
                      <td className="table__actions">
                        <button
                          type="button"
                          className="button button--small button--danger"
                          onClick={() => setRevoking(token)}
                          aria-label={`Revoke ${token.name}`}
                        >
                          Revoke
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryState>
      {revoking && (
        <ConfirmModal
          title={`Revoke “${revoking.name}”?`}
          confirmLabel="Revoke token"
          busy={revoke.isPending}
          onCancel={() => setRevoking(null)}
          onConfirm={() => revoke.mutate(revoking.id, { onSettled: () => setRevoking(null) })}
        >
          Anything using it stops working at once. This cannot be undone.
        </ConfirmModal>
      )}
    </section>
  );
}
