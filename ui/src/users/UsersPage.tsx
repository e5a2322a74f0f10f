import { type FormEvent, useState } from "react";
import type { ManagedUser, User, UserPatchBody } from "../api/types";
import { FormAlert } from "../shared/FormAlert";
import { ConfirmModal, Modal } from "../shared/Modal";
import { QueryState } from "../shared/QueryState";
import { useShellUser } from "../shared/shell";
import { TextField } from "../shared/TextField";
import {
  EMPTY_NEW_USER,
  formatWhen,
  hasErrors,
  mapServerError,
  type NewUserErrors,
  type NewUserValues,
  userChangeError,
  validateConfirm,
  validateNewUser,
} from "./logic";
import { useUserActions, useUsers } from "./queries";
import "./users.css";

export function UsersPage() {
  const user = useShellUser();
  return user.is_admin ? (
    <UserList me={user} />
  ) : (
    <>
      <h1>Users</h1>
      <FormAlert>Only administrators can manage users.</FormAlert>
    </>
  );
}

interface PendingChange {
  user: ManagedUser;
  body: UserPatchBody;
  title: string;
  confirmLabel: string;
  explanation: string;
}

function describeChange(user: ManagedUser, body: UserPatchBody): PendingChange {
  if (body.is_active === false)
    return {
      user,
      body,
      title: `Disable ${user.username}?`,
      confirmLabel: "Disable",
      explanation: "They are signed out and cannot sign in or use their API tokens until enabled again.",
    };
  if (body.is_admin === false)
    return {
      user,
      body,
      title: `Remove admin from ${user.username}?`,
      confirmLabel: "Remove admin",
      explanation: "They keep their account but can no longer manage users, libraries or jobs.",
    };
  return {
    user,
    body,
    title: `Make ${user.username} an admin?`,
    confirmLabel: "Make admin",
    explanation: "Admins can manage every user, library and job of this installation.",
  };
}

function UserList({ me }: { me: User }) {
  const users = useUsers();
  const { update } = useUserActions();
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<ManagedUser | null>(null);
  const [pending, setPending] = useState<PendingChange | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const apply = (user: ManagedUser, body: UserPatchBody, done: string) => {
    setNotice(null);
    setError(null);
    update.mutate(
      { id: user.id, body },
      {
        onSuccess: () => setNotice(done),
        onError: (err) => setError(userChangeError(err, user.username)),
        onSettled: () => setPending(null),
      },
    );
  };

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Users</h1>
          <p className="muted page-header__intro">
            Everyone who can sign in to this installation. Disable an account rather than losing its albums.
          </p>
        </div>
        <div className="page-header__actions">
          <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
            New user
          </button>
        </div>
      </div>
      {notice && (
        <div className="notice notice--ok" role="status">
          {notice}
        </div>
      )}
      {error && <FormAlert>{error}</FormAlert>}
      <QueryState query={users} loading="Loading users…" error="Could not load the users.">
        {(list) =>
          (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Username</th>
                    <th scope="col">Admin</th>
                    <th scope="col">Active</th>
                    <th scope="col">Last login</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((user) => (
                    <tr key={user.id} data-testid={`user-${user.id}`}>
                      <td>
                        {user.username}
                        {user.id === me.id && <span className="muted"> (you)</span>}
                        {user.email && <div className="muted">{user.email}</div>}
                      </td>
                      <td>{user.is_admin ? <span className="badge badge--ok">Admin</span> : "No"}</td>
                      <td>{user.is_active ? "Yes" : <span className="badge badge--warn">Disabled</span>}</td>
                      <td>{formatWhen(user.last_login)}</td>
                      <td className="table__actions">
                        <button
                          type="button"
                          className="button button--small"
                          disabled={update.isPending}
                          onClick={() =>
                            user.is_active
                              ? setPending(describeChange(user, { is_active: false }))
                              : apply(user, { is_active: true }, `${user.username} is enabled.`)
                          }
                        >
                          {user.is_active ? "Disable" : "Enable"}
                        </button>
                        <button
                          type="button"
                          className="button button--small"
                          disabled={update.isPending}
                          onClick={() => setPending(describeChange(user, { is_admin: !user.is_admin }))}
                        >
                          {user.is_admin ? "Remove admin" : "Make admin"}
                        </button>
                        <button type="button" className="button button--small" onClick={() => setResetting(user)}>
                          Reset password
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
      {pending && (
        <ConfirmModal
          title={pending.title}
          confirmLabel={pending.confirmLabel}
          busy={update.isPending}
          onCancel={() => setPending(null)}
          onConfirm={() =>
            apply(
              pending.user,
              pending.body,
              pending.body.is_active === false
                ? `${pending.user.username} is disabled.`
                : pending.body.is_admin
                  ? `${pending.user.username} is now an admin.`
                  : `${pending.user.username} is no longer an admin.`,
            )
          }
        >
          {pending.explanation}
        </ConfirmModal>
      )}
      {creating && (
        <CreateUserDialog
          onClose={() => setCreating(false)}
          onCreated={(username) => {
            setCreating(false);
            setError(null);
            setNotice(`${username} can now sign in.`);
          }}
        />
      )}
      {resetting && (
        <ResetPasswordDialog
          user={resetting}
          onClose={() => setResetting(null)}
          onDone={() => {
            setNotice(`${resetting.username}’s password is changed; they are signed out everywhere.`);
            setResetting(null);
          }}
        />
      )}
    </>
  );
}

const CREATE_FIELDS = { username: "username", email: "email", password: "password" } as const;

function CreateUserDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (username: string) => void }) {
  const { create } = useUserActions();
  const [values, setValues] = useState<NewUserValues>(EMPTY_NEW_USER);
  const [errors, setErrors] = useState<NewUserErrors>({});
  const [message, setMessage] = useState<string | undefined>();
  const set = <K extends keyof NewUserValues>(key: K, value: NewUserValues[K]) => setValues((v) => ({ ...v, [key]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validateNewUser(values);
    setErrors(found);
    setMessage(undefined);
    if (hasErrors(found)) return;
    const email = values.email.trim();
    create.mutate(
      { username: values.username.trim(), password: values.password, is_admin: values.isAdmin, ...(email ? { email } : {}) },
      {
        onSuccess: (user) => onCreated(user.username),
        onError: (err) => {
          const mapped = mapServerError(err, CREATE_FIELDS);
          setErrors(mapped.fields);
          setMessage(mapped.message);
        },
      },
    );
  };

  return (
    <Modal title="New user" onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        {message && <FormAlert>{message}</FormAlert>}
        <TextField id="new-username" label="Username" value={values.username} onChange={(v) => set("username", v)} error={errors.username} autoComplete="off" required />
        <TextField id="new-email" label="Email (optional)" type="email" value={values.email} onChange={(v) => set("email", v)} error={errors.email} />
        <TextField id="new-password" label="Password" type="password" value={values.password} onChange={(v) => set("password", v)} error={errors.password} autoComplete="new-password" required />
        <TextField id="new-confirm" label="Confirm password" type="password" value={values.confirmPassword} onChange={(v) => set("confirmPassword", v)} error={errors.confirmPassword} autoComplete="new-password" required />
        <label className="users__check">
          <input type="checkbox" checked={values.isAdmin} onChange={(e) => set("isAdmin", e.target.checked)} /> Administrator
        </label>
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={create.isPending}>
            Create user
          </button>
        </div>
      </form>
    </Modal>
  );
}

function ResetPasswordDialog({ user, onClose, onDone }: { user: ManagedUser; onClose: () => void; onDone: () => void }) {
  const { setPassword } = useUserActions();
  const [password, setPasswordValue] = useState("");
  const [confirm, setConfirm] = useState("");
  const [errors, setErrors] = useState<{ password?: string; confirm?: string }>({});
  const [message, setMessage] = useState<string | undefined>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = { password: password ? undefined : "Choose a password.", confirm: validateConfirm(password, confirm) };
    setErrors(found);
    setMessage(undefined);
    if (hasErrors(found)) return;
    setPassword.mutate(
      { id: user.id, password },
      {
        onSuccess: onDone,
        onError: (err) => {
          const mapped = mapServerError(err, { password: "password" as const });
          setErrors(mapped.fields);
          setMessage(mapped.message);
        },
      },
    );
  };

  return (
    <Modal title={`Reset ${user.username}’s password`} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <p className="muted">They are signed out everywhere; tell them the new password another way.</p>
        {message && <FormAlert>{message}</FormAlert>}
        <TextField id="reset-password" label="New password" type="password" value={password} onChange={setPasswordValue} error={errors.password} autoComplete="new-password" />
        <TextField id="reset-confirm" label="Confirm password" type="password" value={confirm} onChange={setConfirm} error={errors.confirm} autoComplete="new-password" />
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={setPassword.isPending}>
            Set password
          </button>
        </div>
      </form>
    </Modal>
  );
}
