import { lazy, Suspense, useId, useState } from "react";
import { errorMessage } from "../api/errors";
import type { PhotoDetail } from "../api/types";
import { formatCoordinates } from "../shared/format";
import { copiedPlace, parsePlace } from "./places";
import { useUpdatePhoto } from "./queries";

const PickMap = lazy(() => import("./PickMap"));

/** Set where a photo was taken: typed, picked on a map, or copied from another photo. Saved to
 * the photo (kept when its files are read again) and to its XMP sidecar. */
export function LocationEditor({ photo, onDone }: { photo: PhotoDetail; onDone: () => void }) {
  const update = useUpdatePhoto(photo.id);
  const [latitude, setLatitude] = useState(photo.latitude?.toString() ?? "");
  const [longitude, setLongitude] = useState(photo.longitude?.toString() ?? "");
  const [picking, setPicking] = useState(false);
  const [problem, setProblem] = useState("");
  const copied = copiedPlace();
  const id = useId();
  const save = (body: Parameters<typeof update.mutate>[0]) => update.mutate(body, { onSuccess: onDone });

  return (
    <form
      className="date-editor"
      aria-label="Edit place"
      onSubmit={(event) => {
        event.preventDefault();
        const place = parsePlace(latitude, longitude);
        setProblem(typeof place === "string" ? place : "");
        if (typeof place !== "string") save({ location: place });
      }}
    >
      <label htmlFor={`${id}-lat`}>Latitude</label>
      <input id={`${id}-lat`} inputMode="decimal" value={latitude} onChange={(e) => setLatitude(e.target.value)} />
      <label htmlFor={`${id}-lon`}>Longitude</label>
      <input id={`${id}-lon`} inputMode="decimal" value={longitude} onChange={(e) => setLongitude(e.target.value)} />
      {picking ? (
        <Suspense fallback={<div className="minimap" />}>
          <PickMap
            lat={photo.latitude}
            lon={photo.longitude}
            onPick={(lat, lon) => {
              setLatitude(lat.toFixed(6));
              setLongitude(lon.toFixed(6));
            }}
          />
        </Suspense>
      ) : (
        <button type="button" className="button button--small" onClick={() => setPicking(true)}>
          Pick on the map
        </button>
      )}
      <div className="date-editor__actions">
        <button type="submit" className="button button--small button--primary" disabled={update.isPending}>
          Save place
        </button>
        {copied && copied.photoId !== photo.id && (
          <button type="button" className="button button--small" disabled={update.isPending} onClick={() => save({ location_from: copied.photoId })}>
            Use the copied place ({formatCoordinates(copied.latitude, copied.longitude)})
          </button>
        )}
        {photo.latitude !== null && (
          <button type="button" className="button button--small" disabled={update.isPending} onClick={() => save({ location: null })}>
            Remove place
          </button>
        )}
        <button type="button" className="button button--small" onClick={onDone}>
          Cancel
        </button>
      </div>
      {problem && <p className="field__error">{problem}</p>}
      {update.isError && <p className="field__error">Could not change the place. {errorMessage(update.error)}</p>}
    </form>
  );
}
