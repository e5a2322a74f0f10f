import { useId, useState } from "react";
import { errorMessage } from "../api/errors";
import type { AlbumMemberRole } from "../api/types";
import { FormAlert } from "../shared/FormAlert";
import { Modal } from "../shared/Modal";
import { QueryState } from "../shared/QueryState";
import { useCandidates, useMemberActions, useMembers } from "./queries";

const ROLES: { value: AlbumMemberRole; label: string }[] = [
  { value: "viewer", label: "Viewer (sees the album)" },
  { value: "editor", label: "Editor (adds, removes, orders photos)" },
  { value: "owner", label: "Owner (also shares and deletes)" },
];

/** Who the album is shared with; owners add people of the library and change roles. */
export function MembersDialog({
  albumId,
  albumName,
  isOwner,
  onClose,
}: {
  albumId: number;
  albumName: string;
  isOwner: boolean;
  onClose: () => void;
}) {
  const members = useMembers(albumId);
  const candidates = useCandidates(albumId, isOwner);
  const actions = useMemberActions(albumId);
  const [userId, setUserId] = useState<number | null>(null);
  const [role, setRole] = useState<AlbumMemberRole>("viewer");
  const id = useId();
  const failure = actions.set.error ?? actions.remove.error;
  const candidateList = candidates.data ?? [];
  const chosen = userId ?? candidateList[0]?.id ?? null;

  return (
    <Modal
      title={`People with access to ${albumName}`}
      onClose={onClose}
      className="dialog--wide"
      actions={
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      }
    >
      {failure && <FormAlert>{errorMessage(failure)}</FormAlert>}
      <QueryState query={members} error="Could not load the members.">
        {(list) => (
          <ul className="members" aria-label="Members">
            {list.map((member) => (
              <li key={member.user_id} className="members__row">
                <span className="members__name">{member.username}</span>
                {isOwner ? (
                  <>
                    <select
                      aria-label={`Role of ${member.username}`}
                      value={member.role}
                      disabled={actions.set.isPending}
                      onChange={(event) => actions.set.mutate({ user_id: member.user_id, role: event.target.value as AlbumMemberRole })}
                    >
                      {ROLES.map((option) => (
                        <option key={option.value} value={option.value}>
                          {option.label}
                        </option>
                      ))}
                    </select>
                    <button
                      type="button"
                      className="button button--small"
                      disabled={actions.remove.isPending}
                      onClick={() => actions.remove.mutate(member.user_id)}
                      aria-label={`Stop sharing with ${member.username}`}
                    >
                      Remove
                    </button>
                  </>
                ) : (
                  <span className="muted">{member.role}</span>
                )}
              </li>
            ))}
          </ul>
        )}
      </QueryState>
      {isOwner &&
        (candidateList.length === 0 ? (
          <p className="muted">{candidates.isPending ? "Loading…" : "Everyone in this library already has access."}</p>
        ) : (
          <form
            className="members__add"
            onSubmit={(event) => {
              event.preventDefault();
              if (chosen !== null) actions.set.mutate({ user_id: chosen, role }, { onSuccess: () => setUserId(null) });
            }}
          >
            <div className="field">
              <label htmlFor={`${id}-user`}>Share with</label>
              <select id={`${id}-user`} value={chosen ?? ""} onChange={(event) => setUserId(Number(event.target.value))}>
                {candidateList.map((candidate) => (
                  <option key={candidate.id} value={candidate.id}>
                    {candidate.username}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-role`}>As</label>
              <select id={`${id}-role`} value={role} onChange={(event) => setRole(event.target.value as AlbumMemberRole)}>
                {ROLES.map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="button button--primary" disabled={actions.set.isPending || chosen === null}>
              Share
            </button>
          </form>
        ))}
    </Modal>
  );
}
