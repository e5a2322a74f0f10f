import { useMutation } from "@tanstack/react-query";
import { useDeferredValue, useId, useState } from "react";
import { Link, useNavigate } from "react-router";
import { api, unwrap } from "../api/client";
import { errorMessage, fieldErrorsOf } from "../api/errors";
import type { Album } from "../api/types";
import { albumPath, useAlbums, useInvalidateAlbums } from "../shared/albums";
import { FormAlert } from "../shared/FormAlert";
import { useLibraries } from "../shared/libraries";
import { plural } from "../shared/format";
import { Modal } from "../shared/Modal";
import { gridUrl } from "../shared/photoUrls";
import { QueryState } from "../shared/QueryState";
import { ROUTES } from "../shared/routes";
import { TextField } from "../shared/TextField";
import { placeholderDataURL } from "../shared/thumbhash";
import "./albums.css";
import { formatDateRange } from "./logic";

export function AlbumsPage() {
  const [search, setSearch] = useState("");
  const query = useDeferredValue(search);
  const albums = useAlbums(query);
  const [creating, setCreating] = useState(false);
  const searchId = useId();

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Albums</h1>
          <p className="muted page-header__intro">Your albums and the albums shared with you.</p>
        </div>
        <div className="page-header__actions">
          <Link className="button" to={ROUTES.shares}>
            Shared links
          </Link>
          <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
            New album
          </button>
        </div>
      </div>
      <div className="field albums__search">
        <label htmlFor={searchId}>Search albums</label>
        <input
          id={searchId}
          type="search"
          value={search}
          placeholder="Album name"
          onChange={(event) => setSearch(event.target.value)}
        />
      </div>
      <QueryState query={albums} loading="Loading albums…" error="Could not load the albums.">
        {(list) =>
          list.length === 0 ? (
            <p className="muted">{query.trim() ? `No album's name contains “${query.trim()}”.` : "No albums yet."}</p>
          ) : (
            <ul className="album-cards" aria-label="Albums">
              {list.map((album) => (
                <AlbumCard key={album.id} album={album} />
              ))}
            </ul>
          )
        }
      </QueryState>
      {creating && <CreateAlbumDialog onClose={() => setCreating(false)} />}
    </>
  );
}

function AlbumCard({ album }: { album: Album }) {
  const range = formatDateRange(album.date_from, album.date_to);
  const background = album.cover ? placeholderDataURL(album.cover.placeholder) : null;
  return (
    <li className="album-card" data-testid={`album-${album.id}`}>
      <Link to={albumPath(album.id)} className="album-card__link">
        <span
          className="album-card__cover"
          style={background ? { backgroundImage: `url("${background}")` } : undefined}
        >
          {album.cover && <img src={gridUrl(album.cover.id, album.cover.thumbnail_version)} alt="" loading="lazy" />}
        </span>
        <span className="album-card__name">{album.name}</span>
      </Link>
      <span className="album-card__meta muted">
        {plural(album.photo_count, "photo")}
        {range && ` · ${range}`}
        {album.my_role !== "owner" && ` · shared with you (${album.my_role})`}
      </span>
    </li>
  );
}

function CreateAlbumDialog({ onClose }: { onClose: () => void }) {
  const navigate = useNavigate();
  const invalidate = useInvalidateAlbums();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [library, setLibrary] = useState<number | null>(null);
  const [nameError, setNameError] = useState<string>();
  const libraries = useLibraries(); // fetched again on opening: a library may have been added since
  const libraryList = libraries.data ?? [];
  const chosen = library ?? libraryList[0]?.id ?? null;
  const libraryId = useId();
  const descriptionId = useId();

  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/api/albums", {
          body: { library: chosen ?? 0, name: name.trim(), description: description.trim(), sort: "taken" },
        }),
      ),
    onSuccess: (album) => {
      void invalidate();
      void navigate(albumPath(album.id));
    },
  });
  const fieldErrors = create.error && "body" in create.error ? fieldErrorsOf(create.error.body) : {};

  return (
    <Modal title="New album" onClose={onClose}>
      <form
        className="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!name.trim()) {
            setNameError("Give the album a name.");
            return;
          }
          setNameError(undefined);
          create.mutate();
        }}
      >
        {create.isError && !fieldErrors.name && <FormAlert>Could not create the album. {errorMessage(create.error)}</FormAlert>}
        {libraries.isSuccess && !libraries.isFetching && libraryList.length === 0 && (
          <FormAlert>There is no library yet: add one in the settings first.</FormAlert>
        )}
        <TextField
          id="album-name"
          label="Name"
          value={name}
          onChange={setName}
          error={nameError ?? fieldErrors.name}
          maxLength={200}
          autoFocus
        />
        <div className="field">
          <label htmlFor={descriptionId}>Description (optional)</label>
          <textarea id={descriptionId} value={description} rows={3} onChange={(event) => setDescription(event.target.value)} />
        </div>
        {libraryList.length > 1 && (
          <div className="field">
            <label htmlFor={libraryId}>Library</label>
            <select id={libraryId} value={chosen ?? ""} onChange={(event) => setLibrary(Number(event.target.value))}>
              {libraryList.map((item) => (
                <option key={item.id} value={item.id}>
                  {item.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={create.isPending || chosen === null}>
            Create album
          </button>
        </div>
      </form>
    </Modal>
  );
}
