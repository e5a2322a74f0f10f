import { type FormEvent, useState } from "react";
import { errorMessage } from "../api/errors";
import type { TimelineItem } from "../api/types";
import { plural } from "../shared/format";
import { FormAlert } from "../shared/FormAlert";
import { Modal } from "../shared/Modal";
import { photoAlt } from "../shared/photoText";
import { gridUrl } from "../shared/photoUrls";
import { QueryState } from "../shared/QueryState";
import { placeholderDataURL } from "../shared/thumbhash";
import { useAlbumActions, useLibraryPhotos } from "./queries";

/**
 * A photo of the picker: its image once it has one, else (not processed yet, could not be made,
 * or the image would not load) its placeholder with what it is instead of a broken image.
 */
function PickerImage({ photo, alt }: { photo: TimelineItem; alt: string }) {
  const [broken, setBroken] = useState(false);
  const background = placeholderDataURL(photo.placeholder);
  const ready = photo.thumbnail_version > 0 && !photo.failed && !broken;
  return (
    <span className="picker__image" style={background ? { backgroundImage: `url("${background}")` } : undefined}>
      {ready ? (
        <img src={gridUrl(photo.id, photo.thumbnail_version)} alt={alt} loading="lazy" onError={() => setBroken(true)} />
      ) : (
        <span className="picker__placeholder" data-testid="picker-placeholder">
          {photo.failed ? "Could not be shown" : "Not ready yet"}
        </span>
      )}
    </span>
  );
}

/** Pick photos of the album's library (newest first, searchable, a page at a time) and add them. */
export function AddPhotosDialog({
  albumId,
  library,
  present,
  onClose,
  onAdded,
}: {
  albumId: number;
  library: number;
  /** Ids already in the album: shown as such, not selectable. */
  present: ReadonlySet<number>;
  onClose: () => void;
  onAdded: (added: number) => void;
}) {
  const [typed, setTyped] = useState("");
  const [q, setQ] = useState("");
  const [chosen, setChosen] = useState<ReadonlySet<number>>(new Set());
  const photos = useLibraryPhotos(library, q);
  const { addPhotos } = useAlbumActions(albumId);
  const search = (event: FormEvent) => {
    event.preventDefault();
    setQ(typed.trim());
  };

  const toggle = (id: number) =>
    setChosen((previous) => {
      const next = new Set(previous);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <Modal
      title="Add photos"
      onClose={onClose}
      className="dialog--wide dialog--large"
      actions={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="button button--primary"
            disabled={chosen.size === 0 || addPhotos.isPending}
            onClick={() =>
              addPhotos.mutate([...chosen], {
                onSuccess: ({ added }) => {
                  onAdded(added);
                  onClose();
                },
              })
            }
          >
            {chosen.size ? `Add ${plural(chosen.size, "photo")}` : "Add photos"}
          </button>
        </>
      }
    >
      {addPhotos.isError && <FormAlert>Could not add the photos. {errorMessage(addPhotos.error)}</FormAlert>}
      <form className="picker__search" role="search" onSubmit={search}>
        <input
          type="search"
          aria-label="Search the library's photos"
          placeholder="Search: things, places, people, dates…"
          value={typed}
          onChange={(event) => {
            setTyped(event.target.value);
            if (!event.target.value) setQ("");
          }}
        />
        <button type="submit" className="button button--small">
          Search
        </button>
      </form>
      <QueryState query={photos} loading="Loading photos…" error="Could not load the photos.">
        {(data) => {
          const results = data.pages.flatMap((page) => page.results);
          if (results.length === 0) return <p className="muted">{q ? `No photos match “${q}”.` : "This library has no photos yet."}</p>;
          return (
            <ul className="picker" aria-label="Library photos">
              {results.map((photo) => {
                const inAlbum = present.has(photo.id);
                const alt = photoAlt(photo);
                return (
                  <li key={photo.id}>
                    <label className={inAlbum ? "picker__item picker__item--present" : "picker__item"}>
                      <input
                        type="checkbox"
                        checked={inAlbum || chosen.has(photo.id)}
                        disabled={inAlbum}
                        onChange={() => toggle(photo.id)}
                        aria-label={`${alt}${inAlbum ? ", already in the album" : ""}`}
                      />
                      <PickerImage photo={photo} alt={alt} />
                    </label>
                  </li>
                );
              })}
            </ul>
          );
        }}
      </QueryState>
      {photos.hasNextPage && (
        <div className="picker__pages">
          <button type="button" className="button button--small" disabled={photos.isFetchingNextPage} onClick={() => void photos.fetchNextPage()}>
            {photos.isFetchingNextPage ? "Loading…" : "Show more photos"}
          </button>
        </div>
      )}
      <p className="muted" role="status">
        {chosen.size ? `${plural(chosen.size, "photo")} chosen` : ""}
      </p>
    </Modal>
  );
}
