import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { api, unwrap } from "../api/client";
import { errorMessage } from "../api/errors";
import type { Album } from "../api/types";
import { canEditAlbum, useAlbums, useInvalidateAlbums } from "./albums";
import { FormAlert } from "./FormAlert";
import { useLibraries } from "./libraries";
import { plural } from "./format";
import { Modal } from "./Modal";
import { QueryState } from "./QueryState";

export interface AddedToAlbum {
  album: { id: number; name: string };
  added: number;
  ignored: number;
}

/**
 * "Add to album" for a selection of photos (timeline, viewer): pick one of the albums the person
 * may edit, or name a new one (made from the selection). Mount while open.
 */
export function AddToAlbumDialog({
  photoIds,
  onClose,
  onDone,
}: {
  photoIds: readonly number[];
  onClose: () => void;
  onDone?: (result: AddedToAlbum) => void;
}) {
  const [search, setSearch] = useState("");
  const [newName, setNewName] = useState("");
  const [libraryId, setLibraryId] = useState<number | null>(null);
  const albums = useAlbums();
  const libraries = useLibraries(); // fetched again on opening: a library may have been added since
  const invalidate = useInvalidateAlbums();
  const searchId = useId();
  const nameId = useId();
  const libraryFieldId = useId();

  const add = useMutation({
    mutationFn: async (album: Album): Promise<AddedToAlbum> => {
      const result = unwrap(
        await api.POST("/api/albums/{album_id}/photos", {
          params: { path: { album_id: album.id } },
          body: { ids: [...photoIds] },
        }),
      );
      return { album: { id: album.id, name: album.name }, ...result };
    },
    onSuccess: (result) => {
      void invalidate();
      onDone?.(result);
      onClose();
    },
  });
  const create = useMutation({
    mutationFn: async ({ name, library }: { name: string; library: number }): Promise<AddedToAlbum> => {
      const album = unwrap(
        await api.POST("/api/albums", { body: { library, name, description: "", sort: "taken", photo_ids: [...photoIds] } }),
      );
      return { album: { id: album.id, name: album.name }, added: album.photo_count, ignored: photoIds.length - album.photo_count };
    },
    onSuccess: (result) => {
      void invalidate();
      onDone?.(result);
      onClose();
    },
  });

  const editable = (albums.data ?? []).filter((album) => canEditAlbum(album.my_role));
  const needle = search.trim().toLowerCase();
  const shown = needle ? editable.filter((album) => album.name.toLowerCase().includes(needle)) : editable;
  const libraryList = libraries.data ?? [];
  const chosenLibrary = libraryId ?? libraryList[0]?.id ?? null;
  const busy = add.isPending || create.isPending;
  const failure = add.error ?? create.error;

  return (
    <Modal
      title={`Add ${plural(photoIds.length, "photo")} to an album`}
      onClose={onClose}
      className="dialog--wide"
      actions={
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
      }
    >
      {failure && <FormAlert>Could not add the photos. {errorMessage(failure)}</FormAlert>}
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          const name = newName.trim();
          if (name && chosenLibrary !== null) create.mutate({ name, library: chosenLibrary });
        }}
      >
        <div className="field">
          <label htmlFor={nameId}>New album</label>
          <input id={nameId} value={newName} onChange={(event) => setNewName(event.target.value)} maxLength={200} />
        </div>
        {libraryList.length > 1 && (
          <div className="field">
            <label htmlFor={libraryFieldId}>Library</label>
            <select
              id={libraryFieldId}
              value={chosenLibrary ?? ""}
              onChange={(event) => setLibraryId(Number(event.target.value))}
            >
              {libraryList.map((library) => (
                <option key={library.id} value={library.id}>
                  {library.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <button type="submit" className="button button--primary" disabled={busy || !newName.trim() || chosenLibrary === null}>
          Create album with these photos
        </button>
      </form>
      <div className="field">
        <label htmlFor={searchId}>Or add to an existing album</label>
        <input id={searchId} type="search" value={search} onChange={(event) => setSearch(event.target.value)} />
      </div>
      <QueryState query={albums} loading="Loading albums…" error="Could not load the albums.">
        {() =>
          shown.length === 0 ? (
            <p className="muted">{editable.length ? "No album has that name." : "You have no album to add to yet."}</p>
          ) : (
            <ul className="album-pick">
              {shown.map((album) => (
                <li key={album.id}>
                  <button type="button" className="album-pick__item" disabled={busy} onClick={() => add.mutate(album)}>
                    <span className="album-pick__name">{album.name}</span>
                    <span className="muted">{plural(album.photo_count, "photo")}</span>
                  </button>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
    </Modal>
  );
}
