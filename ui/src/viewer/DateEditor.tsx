import { useId, useState } from "react";
import { errorMessage } from "../api/errors";
import type { PhotoDetail } from "../api/types";
import { splitTakenAt, takenAtValue, zoneOffsets } from "./dates";
import { useUpdatePhoto } from "./queries";

const ZONES = zoneOffsets();

/** Set when a photo was taken: the clock time the photographer saw, and its time zone when
 * known. Saved to the photo (kept when its files are read again) and to its XMP sidecar. */
export function DateEditor({ photo, onDone }: { photo: PhotoDetail; onDone: () => void }) {
  const update = useUpdatePhoto(photo.id);
  const initial = splitTakenAt(photo.taken_at);
  const [local, setLocal] = useState(initial.local);
  const [offset, setOffset] = useState(initial.offset);
  const [invalid, setInvalid] = useState(false);
  const id = useId();

  return (
    <form
      className="date-editor"
      aria-label="Edit date"
      onSubmit={(event) => {
        event.preventDefault();
        const value = takenAtValue(local, offset);
        setInvalid(value === null);
        if (value !== null) update.mutate({ taken_at: value }, { onSuccess: onDone });
      }}
    >
      <label htmlFor={`${id}-when`}>Taken on</label>
      <input id={`${id}-when`} type="datetime-local" step={1} required value={local} onChange={(e) => setLocal(e.target.value)} />
      <label htmlFor={`${id}-zone`}>Time zone</label>
      <select id={`${id}-zone`} value={offset} onChange={(e) => setOffset(e.target.value)}>
        <option value="">Unknown</option>
        {ZONES.map((zone) => (
          <option key={zone} value={zone}>
            UTC{zone}
          </option>
        ))}
      </select>
      <div className="date-editor__actions">
        <button type="submit" className="button button--small button--primary" disabled={update.isPending}>
          Save date
        </button>
        <button type="button" className="button button--small" onClick={onDone}>
          Cancel
        </button>
      </div>
      {invalid && <p className="field__error">Give a date and a time.</p>}
      {update.isError && <p className="field__error">Could not change the date. {errorMessage(update.error)}</p>}
    </form>
  );
}
