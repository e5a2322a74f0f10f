import { useEffect, useId, useRef, useState } from "react";
import { Link, useMatch, useNavigate, useOutlet, useParams } from "react-router";
import { ApiError, errorMessage } from "../api/errors";
import type { Album, AlbumPhoto, AlbumSort } from "../api/types";
import { albumPhotoPath, canEditAlbum } from "../shared/albums";
import { downloadZip } from "../shared/downloads";
import { FormAlert } from "../shared/FormAlert";
import { plural } from "../shared/format";
import { ConfirmModal, Modal } from "../shared/Modal";
import { QueryState } from "../shared/QueryState";
import { ROUTES } from "../shared/routes";
import { ShellOverlay } from "../shared/AppShell";
import { TextField } from "../shared/TextField";
import { AddPhotosDialog } from "./AddPhotosDialog";
import "./albums.css";
import { formatDateRange, reorderRequest } from "./logic";
import { MembersDialog } from "./MembersDialog";
import { useAlbum, useAlbumActions, useAlbumPhotos } from "./queries";
import { CreateShareDialog } from "../shared/ShareLinkDialog";
import { SortableGrid } from "./SortableGrid";

const SORTS: { value: AlbumSort; label: string }[] = [
  { value: "taken", label: "Date taken, oldest first" },
  { value: "-taken", label: "Date taken, newest first" },
  { value: "manual", label: "Manual order" },
];

export function AlbumPage() {
  const { id } = useParams();
  // The viewer (a photo of the album) opens over the page, which keeps its place behind it.
  const outlet = useOutlet();
  // When the viewer closes, focus goes to the photo it showed last.
  const viewing = useMatch(ROUTES.albumPhoto);
  const viewingId = viewing ? Number(viewing.params.photoId) : null;
  const lastViewed = useRef<number | null>(null);
  useEffect(() => {
    if (viewingId !== null) {
      lastViewed.current = viewingId;
    } else if (lastViewed.current !== null) {
      document.querySelector<HTMLElement>(`[data-photo-id="${lastViewed.current}"]`)?.focus();
      lastViewed.current = null;
    }
  }, [viewingId]);
  return (
    <>
      <AlbumView id={Number(id)} />
      {outlet && <ShellOverlay>{outlet}</ShellOverlay>}
    </>
  );
}

function AlbumView({ id }: { id: number }) {
  const album = useAlbum(id);
  if (album.isPending) return <p className="muted">Loading the album…</p>;
  if (album.isError) {
    const missing = album.error instanceof ApiError && album.error.status === 404;
    return (
      <div className="card">
        <h1>{missing ? "Album not found" : "Could not load the album"}</h1>
        <p>{missing ? "It was deleted, or it is not shared with you." : errorMessage(album.error)}</p>
        <Link className="button" to={ROUTES.albums}>
          All albums
        </Link>
      </div>
    );
  }
  return <AlbumContent album={album.data} />;
}

type Dialog = "edit" | "delete" | "add" | "members" | "share-album" | "share-selection" | "remove" | null;

function AlbumContent({ album }: { album: Album }) {
  const navigate = useNavigate();
  const photos = useAlbumPhotos(album.id);
  const actions = useAlbumActions(album.id);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const sortId = useId();
  const canEdit = canEditAlbum(album.my_role);
  const isOwner = album.my_role === "owner";
  const list: readonly AlbumPhoto[] = photos.data ?? [];
  const range = formatDateRange(album.date_from, album.date_to);
  const selection = list.filter((photo) => selected.has(photo.id)).map((photo) => photo.id);
  // A photo whose image could not be made is never the cover (the server refuses it too).
  const coverFailure = selection.length === 1 ? (list.find((photo) => photo.id === selection[0])?.failure ?? null) : null;

  const toggle = (photoId: number) =>
    setSelected((previous) => {
      const next = new Set(previous);
      if (next.has(photoId)) next.delete(photoId);
      else next.add(photoId);
      return next;
    });

  const move = (photoId: number, to: number) => {
    const request = reorderRequest(
      list.map((photo) => photo.id),
      photoId,
      to,
      album.sort,
    );
    if (!request) return;
    actions.reorder.mutate(request, {
      onError: (error) =>
        setNotice(
          error instanceof ApiError && error.status === 409
            ? "The album changed meanwhile; it has been reloaded. Try the move again."
            : `Could not reorder. ${errorMessage(error)}`,
        ),
      onSuccess: () => setNotice(null),
    });
  };

  const failure = actions.update.error ?? actions.removePhotos.error;

  return (
    <>
      <div className="page-header">
        <div>
          <p className="albums__crumb">
            <Link to={ROUTES.albums}>Albums</Link>
          </p>
          <h1>{album.name}</h1>
          {album.description && <p className="album__description">{album.description}</p>}
          <p className="muted page-header__intro">
            {plural(album.photo_count, "photo")}
            {range && ` · ${range}`}
            {!isOwner && ` · shared with you as ${album.my_role}`}
          </p>
        </div>
        <div className="page-header__actions">
          {canEdit && (
            <>
              <button type="button" className="button" onClick={() => setDialog("edit")}>
                Edit details
              </button>
              <button type="button" className="button" onClick={() => setDialog("add")}>
                Add photos
              </button>
            </>
          )}
          <button type="button" className="button" onClick={() => setDialog("members")}>
            {isOwner ? "Share with people" : "People"}
          </button>
          {album.photo_count > 0 && (
            <button
              type="button"
              className="button"
              onClick={() =>
                void downloadZip({ album: album.id }).catch((error: unknown) =>
                  setNotice(`Could not download the album. ${errorMessage(error)}`),
                )
              }
            >
              Download
            </button>
          )}
          {isOwner && (
            <>
              <button type="button" className="button" onClick={() => setDialog("share-album")}>
                Share link
              </button>
              <Link className="button" to={`${ROUTES.shares}?album=${album.id}`}>
                Links
              </Link>
              <button type="button" className="button button--danger" onClick={() => setDialog("delete")}>
                Delete album
              </button>
            </>
          )}
        </div>
      </div>

      {notice && (
        <div className="notice" role="status">
          {notice}{" "}
          <button type="button" className="link-button" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </div>
      )}
      {failure && <FormAlert>{errorMessage(failure)}</FormAlert>}

      <div className="album-toolbar">
        <div className="field album-toolbar__sort">
          <label htmlFor={sortId}>Order</label>
          <select
            id={sortId}
            value={album.sort}
            disabled={!canEdit || actions.update.isPending}
            onChange={(event) => actions.update.mutate({ sort: event.target.value as AlbumSort })}
          >
            {SORTS.map((sort) => (
              <option key={sort.value} value={sort.value}>
                {sort.label}
              </option>
            ))}
          </select>
        </div>
        {selection.length > 0 && (
          <div className="album-toolbar__selection" role="toolbar" aria-label="Selected photos">
            <span>{plural(selection.length, "photo")} selected</span>
            {canEdit && selection.length === 1 && (
              <button
                type="button"
                className="button button--small"
                disabled={coverFailure !== null}
                title={coverFailure !== null ? `This photo cannot be the cover: its image could not be made (${coverFailure}).` : undefined}
                onClick={() =>
                  actions.update.mutate(
                    { cover_id: selection[0] ?? null },
                    { onSuccess: () => setNotice("Cover chosen.") },
                  )
                }
              >
                Set as cover
              </button>
            )}
            {canEdit && (
              <button type="button" className="button button--small" onClick={() => setDialog("remove")}>
                Remove from album
              </button>
            )}
            <button type="button" className="button button--small" onClick={() => setDialog("share-selection")}>
              Share selection
            </button>
            <button type="button" className="button button--small" onClick={() => setSelected(new Set())}>
              Clear selection
            </button>
          </div>
        )}
        {canEdit && album.cover_id !== null && (
          <button
            type="button"
            className="link-button"
            onClick={() => actions.update.mutate({ cover_id: null }, { onSuccess: () => setNotice("The cover is chosen automatically again.") })}
          >
            Automatic cover
          </button>
        )}
      </div>

      <QueryState query={photos} loading="Loading photos…" error="Could not load the photos.">
        {() =>
          list.length === 0 ? (
            <div className="card album__empty">
              <p>This album is empty.</p>
              {canEdit && (
                <button type="button" className="button button--primary" onClick={() => setDialog("add")}>
                  Add photos
                </button>
              )}
            </div>
          ) : (
            <SortableGrid
              photos={list}
              selected={selected}
              coverId={album.cover_id}
              canReorder={canEdit && !actions.reorder.isPending}
              onToggle={toggle}
              onOpen={(photoId) => void navigate(albumPhotoPath(album.id, photoId), { state: { from: "album" } })}
              onMove={move}
            />
          )
        }
      </QueryState>

      {dialog === "edit" && <EditAlbumDialog album={album} onClose={() => setDialog(null)} />}
      {dialog === "add" && (
        <AddPhotosDialog
          albumId={album.id}
          library={album.library}
          present={new Set(list.map((photo) => photo.id))}
          onClose={() => setDialog(null)}
          onAdded={(added) => setNotice(`Added ${plural(added, "photo")}.`)}
        />
      )}
      {dialog === "members" && (
        <MembersDialog albumId={album.id} albumName={album.name} isOwner={isOwner} onClose={() => setDialog(null)} />
      )}
      {dialog === "share-album" && (
        <CreateShareDialog target={{ album: album.id }} subject={album.name} onClose={() => setDialog(null)} />
      )}
      {dialog === "share-selection" && (
        <CreateShareDialog
          target={{ photo_ids: selection }}
          subject={plural(selection.length, "photo")}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === "remove" && (
        <ConfirmModal
          title={`Remove ${plural(selection.length, "photo")} from the album?`}
          confirmLabel="Remove"
          busy={actions.removePhotos.isPending}
          onCancel={() => setDialog(null)}
          onConfirm={() =>
            actions.removePhotos.mutate(selection, {
              onSuccess: ({ removed }) => {
                setSelected(new Set());
                setDialog(null);
                setNotice(`Removed ${plural(removed, "photo")} from the album. They stay in the library.`);
              },
              onError: () => setDialog(null),
            })
          }
        >
          The photos stay in the library; only the album lets go of them.
        </ConfirmModal>
      )}
      {dialog === "delete" && (
        <ConfirmModal
          title={`Delete the album “${album.name}”?`}
          confirmLabel="Delete album"
          busy={actions.remove.isPending}
          onCancel={() => setDialog(null)}
          onConfirm={() =>
            actions.remove.mutate(undefined, {
              onSuccess: () => void navigate(ROUTES.albums, { replace: true }),
              onError: () => setDialog(null),
            })
          }
        >
          {plural(album.photo_count, "photo")} stay in the library. The album, who it is shared with and its public
          links are deleted.
        </ConfirmModal>
      )}
    </>
  );
}

function EditAlbumDialog({ album, onClose }: { album: Album; onClose: () => void }) {
  const { update } = useAlbumActions(album.id);
  const [name, setName] = useState(album.name);
  const [description, setDescription] = useState(album.description);
  const [nameError, setNameError] = useState<string>();
  const descriptionId = useId();
  return (
    <Modal title="Edit album" onClose={onClose}>
      <form
        className="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!name.trim()) {
            setNameError("Give the album a name.");
            return;
          }
          update.mutate({ name: name.trim(), description: description.trim() }, { onSuccess: onClose });
        }}
      >
        {update.isError && <FormAlert>Could not save. {errorMessage(update.error)}</FormAlert>}
        <TextField id="edit-album-name" label="Name" value={name} onChange={setName} error={nameError} maxLength={200} autoFocus />
        <div className="field">
          <label htmlFor={descriptionId}>Description</label>
          <textarea id={descriptionId} rows={4} value={description} onChange={(event) => setDescription(event.target.value)} />
        </div>
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={update.isPending}>
            Save
          </button>
        </div>
      </form>
    </Modal>
  );
}
