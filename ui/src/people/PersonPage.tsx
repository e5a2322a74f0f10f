import { useId, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { errorMessage } from "../api/errors";
import type { Face, Person } from "../api/types";
import { FormAlert } from "../shared/FormAlert";
import { ConfirmModal } from "../shared/Modal";
import { gridUrl } from "../shared/photoUrls";
import { usePhotoDetail } from "../shared/photos";
import { QueryState } from "../shared/QueryState";
import { ROUTES, photoPath } from "../shared/routes";
import { FaceCrop } from "./FaceCrop";
import { type FaceAction, isNamed, otherPeople, personCounts, personLabel, personPath } from "./logic";
import "./people.css";
import { usePeople, usePerson, usePersonActions, usePersonFaces, usePersonPhotos } from "./queries";

/** Photos shown at first; thumbnails need one detail request each, so more come on demand. */
const PHOTO_STEP = 60;

export function PersonPage() {
  const { id } = useParams();
  return (
    <div className="people">
      <PersonView key={id} id={Number(id)} />
    </div>
  );
}

function PersonView({ id }: { id: number }) {
  const person = usePerson(id);
  return (
    <QueryState query={person} error="Could not load this person.">
      {(data) => <PersonDetail person={data} />}
    </QueryState>
  );
}

function PersonDetail({ person }: { person: Person }) {
  const people = usePeople(person.library);
  const others = otherPeople(people.data ?? [], person);
  const actions = usePersonActions(person.id);
  return (
    <>
      <div className="page-header">
        <div>
          <p className="people__crumb">
            <Link to={ROUTES.people}>People</Link>
          </p>
          <h1>{personLabel(person)}</h1>
          <p className="muted page-header__intro">{personCounts(person)}</p>
          <RenameForm person={person} actions={actions} />
          <MergeForm person={person} others={others} actions={actions} />
        </div>
        <FaceCrop faceId={person.cover_face} src={person.cover_url} />
      </div>
      <PersonFaces person={person} others={others} actions={actions} />
      <PersonPhotos id={person.id} />
    </>
  );
}

type Actions = ReturnType<typeof usePersonActions>;

function RenameForm({ person, actions }: { person: Person; actions: Actions }) {
  const [name, setName] = useState(person.name);
  const inputId = useId();
  const { rename } = actions;
  const trimmed = name.trim();
  return (
    <form
      className="person__rename"
      onSubmit={(event) => {
        event.preventDefault();
        if (trimmed && trimmed !== person.name) rename.mutate(trimmed);
      }}
    >
      <div className="field">
        <label htmlFor={inputId}>{isNamed(person) ? "Rename" : "Name this person"}</label>
        <input id={inputId} value={name} maxLength={200} onChange={(event) => setName(event.target.value)} />
      </div>
      <button type="submit" className="button" disabled={!trimmed || trimmed === person.name || rename.isPending}>
        Save name
      </button>
      {rename.isError && <FormAlert>Could not save the name. {errorMessage(rename.error)}</FormAlert>}
    </form>
  );
}

function MergeForm({ person, others, actions }: { person: Person; others: Person[]; actions: Actions }) {
  const [target, setTarget] = useState("");
  const [confirming, setConfirming] = useState(false);
  const navigate = useNavigate();
  const selectId = useId();
  const { mergeInto } = actions;
  const chosen = others.find((other) => String(other.id) === target);
  if (others.length === 0) return null;
  return (
    <div className="person__merge">
      <div className="field">
        <label htmlFor={selectId}>Merge into</label>
        <select id={selectId} value={target} onChange={(event) => setTarget(event.target.value)}>
          <option value="">Choose a person…</option>
          {others.map((other) => (
            <option key={other.id} value={other.id}>
              {personLabel(other)}
            </option>
          ))}
        </select>
      </div>
      <button type="button" className="button" disabled={!chosen} onClick={() => setConfirming(true)}>
        Merge…
      </button>
      {mergeInto.isError && <FormAlert>Could not merge. {errorMessage(mergeInto.error)}</FormAlert>}
      {confirming && chosen && (
        <ConfirmModal
          title="Merge people"
          confirmLabel="Merge"
          busy={mergeInto.isPending}
          onCancel={() => setConfirming(false)}
          onConfirm={() =>
            mergeInto.mutate(chosen.id, {
              onSuccess: (merged) => void navigate(personPath(merged.id), { replace: true }),
              onSettled: () => setConfirming(false),
            })
          }
        >
          <p>
            All faces of {personLabel(person)} join {personLabel(chosen)}, who keeps their name. This cannot be undone.
          </p>
        </ConfirmModal>
      )}
    </div>
  );
}

function PersonFaces({ person, others, actions }: { person: Person; others: Person[]; actions: Actions }) {
  const faces = usePersonFaces(person.id);
  const { faceAction } = actions;
  return (
    <section aria-labelledby="person-faces">
      <h2 id="person-faces">Faces</h2>
      {faceAction.isError && <FormAlert>Could not change the face. {errorMessage(faceAction.error)}</FormAlert>}
      <QueryState query={faces} loading="Loading faces…" error="Could not load the faces.">
        {(list) =>
          list.length === 0 ? (
            <p className="muted">No faces left.</p>
          ) : (
            <ul className="person-faces" aria-label="Faces">
              {list.map((face) => (
                <FaceItem
                  key={face.id}
                  face={face}
                  others={others}
                  busy={faceAction.isPending}
                  onAction={(action) => faceAction.mutate({ face: face.id, action })}
                />
              ))}
            </ul>
          )
        }
      </QueryState>
    </section>
  );
}

const NEW_PERSON = "new";

function FaceItem({
  face,
  others,
  busy,
  onAction,
}: {
  face: Face;
  others: Person[];
  busy: boolean;
  onAction: (action: FaceAction) => void;
}) {
  const [target, setTarget] = useState("");
  const selectId = useId();
  const confirmed = face.verdict === "confirmed" || face.verdict === "moved";
  return (
    <li className="person-face" data-testid="person-face" data-face-id={face.id}>
      <Link to={photoPath(face.photo)} aria-label={`Photo of face ${face.id}`}>
        <FaceCrop faceId={face.id} src={face.crop_url} size="small" />
      </Link>
      {confirmed && <span className="muted">Confirmed</span>}
      <div className="person-face__actions">
        {!confirmed && (
          <button type="button" className="button button--small" disabled={busy} onClick={() => onAction({ kind: "confirm" })}>
            Confirm
          </button>
        )}
        <button type="button" className="button button--small" disabled={busy} onClick={() => onAction({ kind: "remove" })}>
          Not this person
        </button>
        <button type="button" className="button button--small" disabled={busy} onClick={() => onAction({ kind: "reject" })}>
          Not a face
        </button>
      </div>
      <div className="person-face__move">
        <label className="visually-hidden" htmlFor={selectId}>
          Move face {face.id} to
        </label>
        <select id={selectId} value={target} onChange={(event) => setTarget(event.target.value)}>
          <option value="">Move to…</option>
          <option value={NEW_PERSON}>A new person</option>
          {others.map((other) => (
            <option key={other.id} value={other.id}>
              {personLabel(other)}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button button--small"
          disabled={busy || !target}
          onClick={() => onAction({ kind: "move", person: target === NEW_PERSON ? null : Number(target) })}
        >
          Move
        </button>
      </div>
    </li>
  );
}

function PersonPhotos({ id }: { id: number }) {
  const photos = usePersonPhotos(id);
  const [shown, setShown] = useState(PHOTO_STEP);
  return (
    <section aria-labelledby="person-photos">
      <h2 id="person-photos">Photos</h2>
      <QueryState query={photos} loading="Loading photos…" error="Could not load the photos.">
        {(ids) =>
          ids.length === 0 ? (
            <p className="muted">No photos.</p>
          ) : (
            <>
              <ul className="person-photos" aria-label="Photos">
                {ids.slice(0, shown).map((photo) => (
                  <li key={photo}>
                    <PhotoTile id={photo} />
                  </li>
                ))}
              </ul>
              {ids.length > shown && (
                <button type="button" className="button" onClick={() => setShown(shown + PHOTO_STEP)}>
                  Show more photos
                </button>
              )}
            </>
          )
        }
      </QueryState>
    </section>
  );
}

/** A thumbnail needs the photo's thumbnail version (the list gives ids only): its detail, cached. */
function PhotoTile({ id }: { id: number }) {
  const detail = usePhotoDetail(id);
  return (
    <Link to={photoPath(id)} data-testid="person-photo" data-photo-id={id} aria-label={`Photo ${id}`}>
      {detail.data && <img src={gridUrl(id, detail.data.thumbnail_version)} alt="" loading="lazy" />}
    </Link>
  );
}
