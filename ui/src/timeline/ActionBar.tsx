import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { api, unwrap } from "../api/client";
import { errorMessage } from "../api/errors";
import type { BulkRequest, PhotoDetail, TimelineItem } from "../api/types";
import { type AddedToAlbum, AddToAlbumDialog } from "../shared/AddToAlbumDialog";
import { albumPath } from "../shared/albums";
import { formatCount, plural } from "../shared/format";
import { photoKeys } from "../shared/photos";
import { downloadZip, saveLink } from "../shared/downloads";
import { CreateShareDialog } from "../shared/ShareLinkDialog";
import { originalUrl } from "../shared/photoUrls";
import { isTyping } from "../shared/keys";
import { ConfirmModal } from "../shared/Modal";
import { type CurateView, emptiedText, restoredText, useEmptyTrash, useRestore } from "./curate";
import { useBulkAction } from "./queries";

/**
 * What can be done to the selected photos. In the trash: restore them, or delete them for good.
 * With `keys`, the keyboard does the same: `h` favourite, `a` archive, Delete to the trash, and in
 * the trash `r` restore.
 */
export function ActionBar({
  ids,
  items,
  showingHidden,
  view = showingHidden ? "archive" : "all",
  keys = false,
  onSelectAll,
  onClear,
}: {
  ids: number[];
  items: TimelineItem[];
  showingHidden: boolean;
  view?: CurateView;
  keys?: boolean;
  onSelectAll: () => void;
  onClear: () => void;
}) {
  const bulk = useBulkAction();
  const restore = useRestore();
  const empty = useEmptyTrash();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const queryClient = useQueryClient();
  const [tagging, setTagging] = useState(false);
  const [tag, setTag] = useState("");
  const [notice, setNotice] = useState<ReactNode>("");
  const [dialog, setDialog] = useState<"album" | "share" | null>(null);
  const [downloadError, setDownloadError] = useState("");

  const run = (body: Omit<BulkRequest, "ids">, done: string, clear = false) => {
    setNotice("");
    bulk.mutate(
      { ids, ...body },
      {
        onSuccess: () => {
          setNotice(done);
          if (clear) onClear();
        },
      },
    );
  };

  const downloadOriginals = async () => {
    setDownloadError("");
    try {
      if (ids.length > 1) {
        await downloadZip({ photos: ids });
        return;
      }
      const byId = new Map(items.map((item) => [item.id, item]));
      for (const id of ids) {
        let fileId = byId.get(id)?.preferred_file ?? null;
        if (!fileId) {
          const detail = await queryClient.fetchQuery({
            queryKey: photoKeys.detail(id),
            queryFn: async (): Promise<PhotoDetail> =>
              unwrap(await api.GET("/api/photos/{photo_id}", { params: { path: { photo_id: id } } })),
          });
          fileId = (detail.files.find((f) => f.preferred) ?? detail.files[0])?.id ?? null;
        }
        if (fileId) saveLink(originalUrl(fileId));
      }
    } catch (error) {
      setDownloadError(errorMessage(error));
    }
  };

  const addedToAlbum = ({ album, added, ignored }: AddedToAlbum) =>
    setNotice(
      <>
        {added ? `Added ${plural(added, "photo")} to ` : "Already in "}
        <Link to={albumPath(album.id)}>{album.name}</Link>
        {added && ignored ? ` (${ignored} already there).` : "."}
      </>,
    );

  const count = ids.length;
  const byId = new Map(items.map((item) => [item.id, item]));
  const allFavourites = ids.length > 0 && ids.every((id) => byId.get(id)?.favourite);
  const archived = view === "archive";
  const inTrash = view === "trash";
  const busy = bulk.isPending || restore.isPending || empty.isPending;

  const favourite = () =>
    allFavourites
      ? run({ action: "unfavourite" }, `Took ${plural(count, "photo")} out of the favourites.`, view === "favourites")
      : run({ action: "favourite" }, `Added ${plural(count, "photo")} to the favourites.`);
  const archive = () =>
    archived
      ? run({ action: "unarchive" }, `Unarchived ${plural(count, "photo")}.`, true)
      : run({ action: "archive" }, `Archived ${plural(count, "photo")}.`, true);
  const trash = () => run({ action: "trash" }, `Moved ${plural(count, "photo")} to the trash.`, true);
  const restoreSelected = () => {
    setNotice("");
    restore.mutate(ids, {
      onSuccess: (result) => {
        setNotice(restoredText(result));
        if (!result.missing.length) onClear();
      },
    });
  };
  const deleteForGood = () => {
    setNotice("");
    empty.mutate(ids, {
      onSuccess: (result) => {
        setConfirmDelete(false);
        setNotice(emptiedText(result));
        onClear();
      },
      onError: () => setConfirmDelete(false),
    });
  };

  // The shortcuts call the latest handlers (the selection changes between renders).
  const actions = useRef({ favourite, archive, trash, restoreSelected });
  useEffect(() => {
    actions.current = { favourite, archive, trash, restoreSelected };
  });
  useEffect(() => {
    if (!keys) return;
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event) || event.ctrlKey || event.metaKey || event.altKey) return;
      if (document.querySelector("dialog[open]")) return;
      const act = actions.current;
      if (inTrash) {
        if (event.key === "r") act.restoreSelected();
        return;
      }
      if (event.key === "h") act.favourite();
      else if (event.key === "a") act.archive();
      else if (event.key === "Delete" || event.key === "Backspace") {
        event.preventDefault();
        act.trash();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [keys, inTrash]);

  const error = bulk.error ?? restore.error ?? empty.error;
  if (inTrash) {
    return (
      <div className="action-bar" role="toolbar" aria-label="Selected photos">
        <strong className="action-bar__count" data-testid="selection-count">
          {formatCount(count)} selected
        </strong>
        <button type="button" className="button button--small" onClick={onSelectAll}>
          Select all
        </button>
        <button type="button" className="button button--small" disabled={busy} onClick={restoreSelected} title="Restore (r)">
          Restore
        </button>
        <button type="button" className="button button--small button--danger" disabled={busy} onClick={() => setConfirmDelete(true)}>
          Delete for good
        </button>
        <button type="button" className="button button--small" onClick={onClear}>
          Clear
        </button>
        <span className="action-bar__status" role="status">
          {error ? <span className="field__error">{errorMessage(error)}</span> : notice}
        </span>
        {confirmDelete && (
          <ConfirmModal
            title={`Delete ${plural(count, "photo")} for good?`}
            confirmLabel="Delete for good"
            busy={empty.isPending}
            onConfirm={deleteForGood}
            onCancel={() => setConfirmDelete(false)}
          >
            They leave their albums and share links. Their original files are deleted only if they were uploaded or the
            library allows deleting originals; otherwise they stay on disk and are left out of future scans.
          </ConfirmModal>
        )}
      </div>
    );
  }
  return (
    <div className="action-bar" role="toolbar" aria-label="Selected photos">
      <strong className="action-bar__count" data-testid="selection-count">
        {formatCount(count)} selected
      </strong>
      <button type="button" className="button button--small" onClick={onSelectAll}>
        Select all
      </button>
      <label className="action-bar__rate">
        <span className="visually-hidden">Rate selected</span>
        <select
          aria-label="Rate selected"
          value=""
          disabled={bulk.isPending}
          onChange={(event) => {
            const rating = Number(event.target.value);
            run({ action: "rate", rating }, rating ? `Rated ${plural(count, "photo")} ${rating}★.` : `Cleared the rating of ${plural(count, "photo")}.`);
          }}
        >
          <option value="" disabled>
            Rate…
          </option>
          {[5, 4, 3, 2, 1].map((n) => (
            <option key={n} value={n}>
              {"★".repeat(n)}
            </option>
          ))}
          <option value={0}>No rating</option>
        </select>
      </label>
      {tagging ? (
        <form
          className="action-bar__tag"
          onSubmit={(event) => {
            event.preventDefault();
            const name = tag.trim();
            if (!name) return;
            run({ action: "tag", tag: name }, `Tagged ${plural(count, "photo")} “${name}”.`);
            setTag("");
            setTagging(false);
          }}
        >
          <input
            aria-label="Tag name"
            placeholder="Tag name"
            value={tag}
            autoFocus
            onChange={(event) => setTag(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Escape") {
                event.stopPropagation();
                setTagging(false);
              }
            }}
          />
          <button type="submit" className="button button--small button--primary" disabled={bulk.isPending}>
            Add
          </button>
        </form>
      ) : (
        <button type="button" className="button button--small" onClick={() => setTagging(true)}>
          Add tag
        </button>
      )}
      <button type="button" className="button button--small" disabled={busy} onClick={favourite} aria-pressed={allFavourites} title="Favourite (h)">
        <span aria-hidden="true">{allFavourites ? "♥ " : "♡ "}</span>
        {allFavourites ? "Unfavourite" : "Favourite"}
      </button>
      <button type="button" className="button button--small" disabled={busy} onClick={archive} title="Archive (a)">
        {archived ? "Unarchive" : "Archive"}
      </button>
      <button type="button" className="button button--small" disabled={busy} onClick={trash} title="Move to the trash (Delete)">
        Delete
      </button>
      <button
        type="button"
        className="button button--small"
        onClick={() => {
          setNotice("");
          setDialog("album");
        }}
      >
        Add to album
      </button>
      <button type="button" className="button button--small" onClick={() => setDialog("share")}>
        Share
      </button>
      <button type="button" className="button button--small" onClick={() => void downloadOriginals()}>
        Download
      </button>
      <button type="button" className="button button--small" onClick={onClear}>
        Clear
      </button>
      <span className="action-bar__status" role="status">
        {error ? <span className="field__error">{errorMessage(error)}</span> : notice}
        {downloadError && <span className="field__error">{downloadError}</span>}
      </span>
      {dialog === "album" && <AddToAlbumDialog photoIds={ids} onClose={() => setDialog(null)} onDone={addedToAlbum} />}
      {dialog === "share" && (
        <CreateShareDialog target={{ photo_ids: ids }} subject={plural(count, "photo")} onClose={() => setDialog(null)} />
      )}
    </div>
  );
}
