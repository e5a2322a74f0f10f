import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { errorMessage } from "../api/errors";
import type { PhotoDetail } from "../api/types";
import { formatBytes, formatCoordinates, formatNumber, formatTakenAt } from "../shared/format";
import { personName } from "../shared/faces";
import { AddToAlbumDialog } from "../shared/AddToAlbumDialog";
import { albumPath } from "../shared/albums";
import { filtersToSearch } from "../shared/filters";
import { originalUrl } from "../shared/photoUrls";
import { QueryState } from "../shared/QueryState";
import { exposureLine, flattenMetadata, rawMethodLabel, tagsByType } from "./format";
import { useFileMetadata, usePhotoAlbums, useSetPreferred, useUpdatePhoto } from "./queries";
import { StarRating } from "./StarRating";
import { DateEditor } from "./DateEditor";
import { LocationEditor } from "./LocationEditor";
import { copyPlace } from "./places";

const MiniMap = lazy(() => import("./MiniMap"));

const TAG_TITLES: Record<string, string> = { object: "Things", place: "Places", colour: "Colours", style: "Styles", event: "Events" };

function MetadataDialog({ fileId, onClose }: { fileId: number; onClose: () => void }) {
  const metadata = useFileMetadata(fileId);
  const dialog = useRef<HTMLDialogElement>(null);
  const [filter, setFilter] = useState("");
  useEffect(() => {
    const node = dialog.current;
    if (node && !node.open) {
      if (typeof node.showModal === "function") node.showModal();
      else node.setAttribute("open", "");
    }
  }, []);
  const rows = metadata.data ? flattenMetadata(metadata.data.metadata) : [];
  const needle = filter.trim().toLowerCase();
  const shown = needle ? rows.filter(([k, v]) => k.toLowerCase().includes(needle) || v.toLowerCase().includes(needle)) : rows;
  return (
    <dialog
      ref={dialog}
      className="dialog dialog--wide"
      aria-labelledby="metadata-title"
      onClose={onClose}
      onKeyDown={(e) => e.stopPropagation()}
    >
      <div className="dialog__header">
        <h2 id="metadata-title">All metadata</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      {metadata.data && <p className="muted metadata__path">{metadata.data.path}</p>}
      <input className="metadata__filter" type="search" placeholder="Filter" aria-label="Filter metadata" value={filter} onChange={(e) => setFilter(e.target.value)} />
      <QueryState query={metadata} error="Could not load the metadata.">
        {() => (
          <table className="metadata">
            <tbody>
              {shown.map(([key, value]) => (
                <tr key={key}>
                  <th scope="row">{key}</th>
                  <td>{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
    </dialog>
  );
}

/**
 * Everything known about the photo, and what can be changed. Opened inside an album (`album`),
 * it offers to remove the photo from it when the person may edit the album.
 */
export function InfoPanel({
  photo,
  onClose,
  album,
}: {
  photo: PhotoDetail;
  onClose: () => void;
  album?: { name: string; onRemove?: () => Promise<unknown> };
}) {
  const update = useUpdatePhoto(photo.id);
  const preferred = useSetPreferred(photo.id);
  const albums = usePhotoAlbums(photo.id);
  const [metadataFile, setMetadataFile] = useState<number | null>(null);
  const [addingToAlbum, setAddingToAlbum] = useState(false);
  const [editingDate, setEditingDate] = useState(false);
  const [editingPlace, setEditingPlace] = useState(false);
  const [placeNotice, setPlaceNotice] = useState("");
  const [albumNotice, setAlbumNotice] = useState("");
  const [removing, setRemoving] = useState(false);
  const [removeError, setRemoveError] = useState("");
  const removeFromAlbum = album?.onRemove;
  const file = photo.files.find((f) => f.preferred) ?? photo.files[0];
  const exposure = exposureLine(photo);
  const shownTags = tagsByType(photo.tags);
  const hasGps = photo.latitude !== null && photo.longitude !== null;

  return (
    <aside className="info" aria-label="Photo information" onKeyDown={(e) => e.key !== "Escape" && e.stopPropagation()}>
      <div className="info__header">
        <h2>Info</h2>
        <button type="button" className="icon-button" aria-label="Close info" onClick={onClose}>
          ×
        </button>
      </div>
      <StarRating value={photo.rating ?? 0} onChange={(rating) => update.mutate({ rating })} />
      {update.isError && <p className="field__error">{errorMessage(update.error)}</p>}
      {photo.sidecar_error && (
        <p className="field__error" data-testid="info-sidecar-error">
          Your edits are saved here, but could not be written next to the file: {photo.sidecar_error}
        </p>
      )}
      <dl className="info__list">
        <div>
          <dt>Date</dt>
          <dd className="info__date">
            <span data-testid="info-date">{formatTakenAt(photo.taken_at)}</span>
            {photo.undated && (
              <span className="badge" data-testid="info-undated" title="The file holds no date: this is when the file was last written.">
                Undated: the file’s time
              </span>
            )}
            {!editingDate && (
              <button type="button" className="button button--small" onClick={() => setEditingDate(true)}>
                {photo.undated ? "Set date" : "Edit date"}
              </button>
            )}
            {editingDate && <DateEditor photo={photo} onDone={() => setEditingDate(false)} />}
          </dd>
        </div>
        {photo.camera && (
          <div>
            <dt>Camera</dt>
            <dd data-testid="info-camera">{photo.camera}</dd>
          </div>
        )}
        {photo.lens && (
          <div>
            <dt>Lens</dt>
            <dd>{photo.lens}</dd>
          </div>
        )}
        {exposure && (
          <div>
            <dt>Exposure</dt>
            <dd>{exposure}</dd>
          </div>
        )}
        {photo.flash_fired !== null && (
          <div>
            <dt>Flash</dt>
            <dd>{photo.flash_fired ? "Fired" : "Did not fire"}</dd>
          </div>
        )}
        {file && (
          <div>
            <dt>File</dt>
            <dd className="info__file">
              <span title={file.path}>{file.path.split("/").pop()}</span>
              <span className="muted">
                {[file.file_type.toUpperCase(), formatBytes(file.size), photo.width && photo.height ? `${formatNumber(photo.width)} × ${formatNumber(photo.height)}` : null]
                  .filter(Boolean)
                  .join(" · ")}
              </span>
              {rawMethodLabel(file.raw_method) && (
                <span className="muted" data-testid="info-raw-method">
                  {rawMethodLabel(file.raw_method)}
                </span>
              )}
            </dd>
          </div>
        )}
        {photo.title && (
          <div>
            <dt>Title</dt>
            <dd>{photo.title}</dd>
          </div>
        )}
        {photo.description && (
          <div>
            <dt>Description</dt>
            <dd>{photo.description}</dd>
          </div>
        )}
        <div>
          <dt>Location</dt>
          <dd className="info__date">
            {hasGps ? (
              <span data-testid="info-location">
                {formatCoordinates(photo.latitude ?? 0, photo.longitude ?? 0)}
                {photo.altitude !== null && ` · ${formatNumber(Math.round(photo.altitude))} m`}
              </span>
            ) : (
              <span className="muted">Unknown</span>
            )}
            {!editingPlace && (
              <button type="button" className="button button--small" onClick={() => setEditingPlace(true)}>
                {hasGps ? "Edit place" : "Set place"}
              </button>
            )}
            {hasGps && !editingPlace && (
              <button
                type="button"
                className="button button--small"
                onClick={() => {
                  copyPlace({ photoId: photo.id, latitude: photo.latitude ?? 0, longitude: photo.longitude ?? 0 });
                  setPlaceNotice("Place copied: give it to another photo with “Set place”.");
                }}
              >
                Copy place
              </button>
            )}
            {editingPlace && <LocationEditor photo={photo} onDone={() => setEditingPlace(false)} />}
          </dd>
        </div>
      </dl>
      {hasGps && (
        <Suspense fallback={<div className="minimap" />}>
          <MiniMap lat={photo.latitude ?? 0} lon={photo.longitude ?? 0} />
        </Suspense>
      )}
      {[...shownTags.entries()].map(([type, tags]) => (
        <section key={type} className="info__section">
          <h3>{TAG_TITLES[type] ?? type.charAt(0).toUpperCase() + type.slice(1)}</h3>
          <ul className="info__tags">
            {tags.map((tag) => (
              <li key={tag.id}>
                <Link
                  className="chip"
                  to={{ pathname: "/", search: filtersToSearch(type === "place" ? { place: tag.id } : type === "colour" ? { colour: tag.id } : { tag: [tag.id] }) }}
                  title={tag.confidence !== null ? `${Math.round(tag.confidence * 100)}% · ${tag.source}` : tag.source}
                >
                  {tag.name}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ))}
      {photo.people.length > 0 && (
        <section className="info__section">
          <h3>People</h3>
          <ul className="info__tags">
            {photo.people.map((person) => (
              <li key={person.id}>
                <Link className="chip" to={{ pathname: "/", search: filtersToSearch({ person: [person.id] }) }}>
                  {personName(person)}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {albums.isError && (
        <section className="info__section">
          <h3>In albums</h3>
          <p className="field__error">Could not load the albums holding this photo. {errorMessage(albums.error)}</p>
        </section>
      )}
      {albums.data && albums.data.length > 0 && (
        <section className="info__section">
          <h3>In albums</h3>
          <ul className="info__tags" data-testid="info-albums">
            {albums.data.map((item) => (
              <li key={item.id}>
                <Link className="chip" to={albumPath(item.id)}>
                  {item.name}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {photo.files.length > 1 && (
        <section className="info__section">
          <h3>Versions</h3>
          <ul className="versions">
            {photo.files.map((f) => (
              <li key={f.id}>
                <span>
                  {f.path.split("/").pop()} <span className="muted">({f.kind}, {formatBytes(f.size)})</span>
                </span>
                {f.preferred ? (
                  <span className="badge">Preferred</span>
                ) : (
                  <button type="button" className="button button--small" disabled={preferred.isPending} onClick={() => preferred.mutate(f.id)}>
                    Set preferred
                  </button>
                )}
              </li>
            ))}
          </ul>
          {preferred.isError && <p className="field__error">{errorMessage(preferred.error)}</p>}
        </section>
      )}
      <div className="info__actions">
        <button
          type="button"
          className="button button--small"
          onClick={() => update.mutate({ turn: 90 })}
        >
          Rotate
        </button>
        <button
          type="button"
          className="button button--small"
          aria-pressed={photo.favourite}
          onClick={() => update.mutate({ favourite: !photo.favourite })}
        >
          <span aria-hidden="true">{photo.favourite ? "♥ " : "♡ "}</span>
          Favourite
        </button>
        <button type="button" className="button button--small" onClick={() => update.mutate({ archived: !photo.archived })}>
          {photo.archived ? "Unarchive" : "Archive"}
        </button>
        {file && (
          <a className="button button--small" href={originalUrl(file.id)} download>
            Download original
          </a>
        )}
        {file && (
          <button type="button" className="button button--small" onClick={() => setMetadataFile(file.id)}>
            Show all metadata
          </button>
        )}
        <button
          type="button"
          className="button button--small"
          onClick={() => {
            setAlbumNotice("");
            setAddingToAlbum(true);
          }}
        >
          Add to album
        </button>
        {album && removeFromAlbum && (
          <button
            type="button"
            className="button button--small"
            disabled={removing}
            onClick={() => {
              setRemoving(true);
              setRemoveError("");
              removeFromAlbum()
                .catch((error: unknown) => setRemoveError(`Could not remove it from the album. ${errorMessage(error)}`))
                .finally(() => setRemoving(false));
            }}
          >
            Remove from “{album.name}”
          </button>
        )}
      </div>
      <p className="info__status" role="status">
        {placeNotice}
        {albumNotice}
        {removeError && <span className="field__error">{removeError}</span>}
      </p>
      {metadataFile !== null && <MetadataDialog fileId={metadataFile} onClose={() => setMetadataFile(null)} />}
      {addingToAlbum && (
        <AddToAlbumDialog
          photoIds={[photo.id]}
          onClose={() => setAddingToAlbum(false)}
          onDone={({ album: target, added }) =>
            setAlbumNotice(added ? `Added to “${target.name}”.` : `Already in “${target.name}”.`)
          }
        />
      )}
    </aside>
  );
}
