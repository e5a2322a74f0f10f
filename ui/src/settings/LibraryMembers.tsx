import { useId, useState } from "react";
import type { Library, LibraryMember, LibraryRole, User } from "../api/types";
import { ConfirmModal } from "../shared/Modal";
import { QueryState } from "../shared/QueryState";
import { useUsers } from "../shared/users";
import { describeError } from "./errors";
import { ROLES, useMemberActions, useMembers } from "./manage";

function roleLabel(role: LibraryRole): string {
  return ROLES.find((r) => r.value === role)?.label ?? role;
}

function AddMember({ library, me }: { library: Library; me: User }) {
  const { add } = useMemberActions(library.id, me);
  // Administrators may list every user, and get suggestions; owners type the username.
  const users = useUsers(me.is_admin);
  const [username, setUsername] = useState("");
  const [role, setRole] = useState<LibraryRole>("viewer");
  const id = useId();
  const error = add.isError ? describeError(add.error, "username") : undefined;
  return (
    <form
      className="members__add"
      aria-label={`Add a member to ${library.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        add.mutate({ username: username.trim(), role }, { onSuccess: () => setUsername("") });
      }}
    >
      <div className={error ? "field field--invalid" : "field"}>
        <label htmlFor={`${id}-username`}>Username</label>
        <input
          id={`${id}-username`}
          required
          autoComplete="off"
          list={me.is_admin ? `${id}-users` : undefined}
          value={username}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(event) => {
            setUsername(event.target.value);
            add.reset();
          }}
        />
        {me.is_admin && (
          <datalist id={`${id}-users`}>
            {users.data?.filter((u) => u.is_active).map((u) => <option key={u.id} value={u.username} />)}
          </datalist>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-role`}>Role</label>
        <select id={`${id}-role`} value={role} onChange={(event) => setRole(event.target.value as LibraryRole)}>
          {ROLES.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label} — {r.description}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button button--primary" disabled={add.isPending || !username.trim()}>
        Add member
      </button>
      {error && (
        <p id={`${id}-error`} className="field__error members__error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

/** The people of a library with their roles; owners and administrators change them. */
export function LibraryMembers({ library, me, manage }: { library: Library; me: User; manage: boolean }) {
  const members = useMembers(library.id);
  const { setRole, remove } = useMemberActions(library.id, me);
  const [removing, setRemoving] = useState<LibraryMember>();
  const [problem, setProblem] = useState<string>();
  const titleId = useId();
  return (
    <section className="members" aria-labelledby={titleId} data-testid={`members-${library.id}`}>
      <h4 id={titleId}>Members</h4>
      <QueryState query={members} loading="Loading members…" error="Could not load the members.">
        {(list) => (
          <table className="members__table">
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Role</th>
                {manage && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {list.map((member) => (
                <tr key={member.user_id} data-testid={`member-${member.username}`}>
                  <td>
                    {member.username}
                    {member.user_id === me.id && <span className="muted"> (you)</span>}
                  </td>
                  <td>
                    {manage ? (
                      <select
                        aria-label={`Role of ${member.username}`}
                        value={member.role}
                        disabled={setRole.isPending}
                        onChange={(event) => {
                          setProblem(undefined);
                          setRole.mutate(
                            { user: member.user_id, role: event.target.value as LibraryRole },
                            { onError: (error) => setProblem(describeError(error, "role")) },
                          );
                        }}
                      >
                        {ROLES.map((r) => (
                          <option key={r.value} value={r.value}>
                            {r.label}
                          </option>
                        ))}
                      </select>
                    ) : (
                      roleLabel(member.role)
                    )}
                  </td>
                  {manage && (
                    <td>
                      <button
                        type="button"
                        className="button button--small"
                        aria-label={`Remove ${member.username}`}
                        onClick={() => {
                          setProblem(undefined);
                          setRemoving(member);
                        }}
                      >
                        Remove
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
      {problem && (
        <p className="field__error members__error" role="alert">
          {problem}
        </p>
      )}
      {manage && <AddMember library={library} me={me} />}
      {removing && (
        <ConfirmModal
          title={`Remove ${removing.username} from ${library.name}?`}
          confirmLabel="Remove member"
          busy={remove.isPending}
          onCancel={() => setRemoving(undefined)}
          onConfirm={() =>
            remove.mutate(removing.user_id, {
              onSuccess: () => setRemoving(undefined),
              onError: (error) => {
                setRemoving(undefined);
                setProblem(describeError(error, "user"));
              },
            })
          }
        >
          <p>
            {removing.user_id === me.id
              ? "You will no longer see this library or its photos, unless someone adds you again."
              : `${removing.username} will no longer see this library or its photos. Their account stays.`}
          </p>
        </ConfirmModal>
      )}
    </section>
  );
}
