import { useId, useState } from "react";
import { errorMessage } from "../api/errors";
import type { Face } from "../api/types";
import { assignBody, personCropUrl, personName, useFaceNaming, useFaceSuggestions, useNamedPeople } from "./faces";
import "./faceNamer.css";
import { FormAlert } from "./FormAlert";

/**
 * Names one face: the people it looks most like, one click each, or a typed name (an existing
 * person's, offered as you type, or a new one). `withDismiss` adds "Ignore" (a stranger)
 * and "Not a face".
 */
export function FaceNamer({ face, onDone, withDismiss = false }: { face: Face; onDone?: (face: Face) => void; withDismiss?: boolean }) {
  const [name, setName] = useState("");
  const inputId = useId();
  const listId = useId();
  // The unnamed faces' list brings each face's suggestions; a face from elsewhere asks for its own.
  const suggestions = useFaceSuggestions(face.id, face.suggestions == null);
  const people = useNamedPeople(face.library);
  const { assign, ignore, reject } = useFaceNaming();
  const busy = assign.isPending || ignore.isPending || reject.isPending;
  const failed = assign.error ?? ignore.error ?? reject.error;
  const send = (choice: { person?: number; name?: string }) => {
    const body = assignBody(choice);
    if (body) assign.mutate({ face: face.id, body }, { onSuccess: onDone });
  };
  const offered = (face.suggestions ?? suggestions.data ?? []).filter((s) => s.person !== face.person);
  return (
    <div className="face-namer" data-testid="face-namer">
      {offered.length > 0 && (
        <ul className="face-namer__suggestions" aria-label="Suggestions">
          {offered.map((suggestion) => (
            <li key={suggestion.person}>
              <button type="button" className="face-namer__suggestion" disabled={busy} onClick={() => send({ person: suggestion.person })}>
                <img className="face-namer__crop" src={suggestion.cover_url ?? personCropUrl(suggestion.person)} alt="" loading="lazy" />
                {personName({ id: suggestion.person, name: suggestion.name })}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="face-namer__form"
        onSubmit={(event) => {
          event.preventDefault();
          const typed = name.trim();
          const known = (people.data ?? []).find((person) => person.name.trim().toLowerCase() === typed.toLowerCase());
          send(known ? { person: known.id } : { name: typed });
        }}
      >
        <label className="visually-hidden" htmlFor={inputId}>
          Name of face {face.id}
        </label>
        <input id={inputId} list={listId} value={name} maxLength={200} placeholder="Who is this?" onChange={(event) => setName(event.target.value)} />
        <datalist id={listId}>
          {(people.data ?? []).map((person) => (
            <option key={person.id} value={person.name} />
          ))}
        </datalist>
        <button type="submit" className="button button--small" disabled={busy || !name.trim()}>
          Name
        </button>
      </form>
      {withDismiss && (
        <div className="face-namer__dismiss">
          <button type="button" className="button button--small" disabled={busy} onClick={() => ignore.mutate(face.id, { onSuccess: onDone })}>
            Ignore
          </button>
          <button type="button" className="button button--small" disabled={busy} onClick={() => reject.mutate(face.id, { onSuccess: onDone })}>
            Not a face
          </button>
        </div>
      )}
      {failed && <FormAlert>Could not change the face. {errorMessage(failed)}</FormAlert>}
    </div>
  );
}
