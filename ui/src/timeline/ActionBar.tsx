import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
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
import { useBulkAction } from "./queries";

/** What can be done to the selected photos. */
export function ActionBar({
  ids,
  items,
  showingHidden,
  onSelectAll,
  onClear,
}: {
  ids: number[];
  items: TimelineItem[];
  showingHidden: boolean;
  onSelectAll: () => void;
  onClear: () => void;
}) {
  const bulk = useBulkAction();
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
      {showingHidden ? (
        <button type="button" className="button button--small" disabled={bulk.isPending} onClick={() => run({ action: "unhide" }, `Unhid ${plural(count, "photo")}.`, true)}>
          Unhide
        </button>
      ) : (
        <button type="button" className="button button--small" disabled={bulk.isPending} onClick={() => run({ action: "hide" }, `Hid ${plural(count, "photo")}.`, true)}>
          Hide
        </button>
      )}
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
        {bulk.isError ? <span className="field__error">{errorMessage(bulk.error)}</span> : notice}
        {downloadError && <span className="field__error">{downloadError}</span>}
      </span>
      {dialog === "album" && <AddToAlbumDialog photoIds={ids} onClose={() => setDialog(null)} onDone={addedToAlbum} />}
      {dialog === "share" && (
        <CreateShareDialog target={{ photo_ids: ids }} subject={plural(count, "photo")} onClose={() => setDialog(null)} />
      )}
    </div>
  );
}
