import { useState } from "react";
import { errorMessage } from "../api/errors";
import { formatTakenAt, plural } from "../shared/format";
import { FormAlert } from "../shared/FormAlert";
import { Modal } from "../shared/Modal";
import { Pager } from "../shared/Pager";
import { gridUrl } from "../shared/photoUrls";
import { QueryState } from "../shared/QueryState";
import { PICKER_PAGE_SIZE, useAlbumActions, useLibraryPhotos } from "./queries";

/** Pick photos of the album's library (newest first, a page at a time) and add them. */
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
  const [page, setPage] = useState(1);
  const [chosen, setChosen] = useState<ReadonlySet<number>>(new Set());
  const photos = useLibraryPhotos(library, page);
  const { addPhotos } = useAlbumActions(albumId);
  const pages = photos.data ? Math.max(1, Math.ceil(photos.data.count / PICKER_PAGE_SIZE)) : 1;

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
      <QueryState query={photos} loading="Loading photos…" error="Could not load the photos.">
        {(page) =>
          page.results.length === 0 ? (
            <p className="muted">This library has no photos yet.</p>
          ) : (
            <ul className="picker" aria-label="Library photos">
              {page.results.map((photo) => {
                const inAlbum = present.has(photo.id);
                return (
                  <li key={photo.id}>
                    <label className={inAlbum ? "picker__item picker__item--present" : "picker__item"}>
                      <input
                        type="checkbox"
                        checked={inAlbum || chosen.has(photo.id)}
                        disabled={inAlbum}
                        onChange={() => toggle(photo.id)}
                        aria-label={`${formatTakenAt(photo.taken_at)} (photo ${photo.id})${inAlbum ? ", already in the album" : ""}`}
                      />
                      <img src={gridUrl(photo.id, photo.thumbnail_version)} alt="" loading="lazy" />
                    </label>
                  </li>
                );
              })}
            </ul>
          )
        }
      </QueryState>
      <Pager page={page} pages={pages} onPage={setPage} className="picker__pages" />
      <p className="muted" role="status">
        {chosen.size ? `${plural(chosen.size, "photo")} chosen` : ""}
      </p>
    </Modal>
  );
}
