import { useId, useState } from "react";
import type { FolderRemoved, Library, User } from "../api/types";
import { FolderPicker } from "../shared/FolderPicker";
import { ConfirmModal } from "../shared/Modal";
import { describeError } from "./errors";
import { canAddFolders, useAddFolder, useRemoveFolder, useSetWatched } from "./manage";
import { formatDateTime, plural } from "../shared/format";

type Folder = Library["folders"][number];

function AddFolder({ library }: { library: Library }) {
  const add = useAddFolder(library.id);
  const [open, setOpen] = useState(false);
  const [path, setPath] = useState("");
  const [watched, setWatched] = useState(true);
  const [browsing, setBrowsing] = useState(false);
  const id = useId();
  const error = add.isError ? describeError(add.error, "path") : undefined;
  if (!open) {
    return (
      <button type="button" className="button button--small" onClick={() => setOpen(true)}>
        Add a folder
      </button>
    );
  }
  return (
    <form
      className="folders__add"
      aria-label={`Add a folder to ${library.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        add.mutate(
          { path: path.trim(), watched },
          {
            onSuccess: () => {
              setPath("");
              setBrowsing(false);
              setOpen(false);
            },
          },
        );
      }}
    >
      <div className={error ? "field field--invalid" : "field"}>
        <label htmlFor={`${id}-path`}>Folder on the server</label>
        <input
          id={`${id}-path`}
          required
          spellCheck={false}
          autoCapitalize="none"
          placeholder="/photos/family"
          value={path}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : `${id}-hint`}
          onChange={(event) => {
            setPath(event.target.value);
            add.reset();
          }}
        />
        {error ? (
          <p id={`${id}-error`} className="field__error" role="alert">
            {error}
          </p>
        ) : (
          <p id={`${id}-hint`} className="field__hint">
            An absolute path. Its photos are imported into {library.name}; nothing on disk changes.{" "}
            <button type="button" className="link-button" aria-expanded={browsing} onClick={() => setBrowsing(!browsing)}>
              {browsing ? "Close the folder list" : "Browse the server's folders"}
            </button>
          </p>
        )}
      </div>
      {browsing && (
        <FolderPicker
          idPrefix={`${id}-browse`}
          chosen={[...library.folders.map((f) => f.path), ...(path.trim() ? [path.trim()] : [])]}
          onChoose={(chosen) => {
            setPath(chosen);
            add.reset();
          }}
        />
      )}
      <label className="switch">
        <input type="checkbox" checked={watched} onChange={(event) => setWatched(event.target.checked)} />
        <span>Watch the folder for new photos</span>
      </label>
      <div className="folders__add-actions">
        <button type="submit" className="button button--primary" disabled={add.isPending || !path.trim()}>
          Add folder
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            setOpen(false);
            add.reset();
          }}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}

function removedText(path: string, removed: FolderRemoved): string {
  const photos = plural(removed.photos, "photo");
  return `${path} was removed: ${photos} left the library. The files on disk were not touched.`;
}

/** A library's folders: watched or not, removable by its owners, added by administrators. */
export function LibraryFolders({ library, me, manage }: { library: Library; me: User; manage: boolean }) {
  const setWatched = useSetWatched(library.id);
  const remove = useRemoveFolder(library.id);
  const [removing, setRemoving] = useState<Folder>();
  const [done, setDone] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const titleId = useId();
  return (
    <section className="folders-section" aria-labelledby={titleId} data-testid={`folders-${library.id}`}>
      <h4 id={titleId}>Folders</h4>
      {library.folders.length === 0 && <p className="muted">No folders: this library imports nothing.</p>}
      <ul className="folders">
        {library.folders.map((folder) => (
          <li key={folder.id} className="folders__item" data-testid={`folder-${folder.path}`}>
            <code>{folder.path}</code>
            <span className="muted">
              {folder.last_scan_finished_at ? ` · scanned ${formatDateTime(folder.last_scan_finished_at)}` : ""}
              {folder.last_scan_error ? ` · ${folder.last_scan_error}` : ""}
            </span>
            {manage ? (
              <span className="folders__actions">
                <label className="switch">
                  <input
                    type="checkbox"
                    role="switch"
                    aria-label={`Watch ${folder.path}`}
                    checked={folder.watched}
                    disabled={setWatched.isPending}
                    onChange={(event) => {
                      setProblem(undefined);
                      setWatched.mutate(
                        { folder: folder.id, watched: event.target.checked },
                        { onError: (error) => setProblem(describeError(error, "watched")) },
                      );
                    }}
                  />
                  <span>Watched</span>
                </label>
                <button
                  type="button"
                  className="button button--small"
                  aria-label={`Remove folder ${folder.path}`}
                  onClick={() => {
                    setDone(undefined);
                    setProblem(undefined);
                    setRemoving(folder);
                  }}
                >
                  Remove
                </button>
              </span>
            ) : (
              <span className="muted">{folder.watched ? " · watched" : " · not watched"}</span>
            )}
          </li>
        ))}
      </ul>
      {problem && (
        <p className="field__error" role="alert">
          {problem}
        </p>
      )}
      {done && (
        <p className="muted" role="status">
          {done}
        </p>
      )}
      {manage &&
        (canAddFolders(me) ? (
          <AddFolder library={library} />
        ) : (
          <p className="muted">An administrator adds folders.</p>
        ))}
      {removing && (
        <ConfirmModal
          title={`Remove ${removing.path} from ${library.name}?`}
          confirmLabel="Remove folder"
          busy={remove.isPending}
          onCancel={() => setRemoving(undefined)}
          onConfirm={() =>
            remove.mutate(removing.id, {
              onSuccess: (removed) => {
                setDone(removedText(removing.path, removed));
                setRemoving(undefined);
              },
              onError: (error) => {
                setProblem(describeError(error));
                setRemoving(undefined);
              },
            })
          }
        >
          <p>
            <strong>Nothing on disk is deleted:</strong> the folder and its files stay where they are.
          </p>
          <p>
            In Photonix, the photos of this folder leave the library, with what was added to them: ratings, tags,
            faces and their places in albums. A photo that also has a version in another folder of the library stays.
          </p>
          <p>Adding the folder back later imports its photos again, as new photos.</p>
        </ConfirmModal>
      )}
    </section>
  );
}
