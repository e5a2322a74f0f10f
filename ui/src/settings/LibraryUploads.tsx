import { useId, useState } from "react";
import type { Library } from "../api/types";
import { describeError } from "./errors";
import { useSetUploadFolder } from "./manage";

/** The folder uploads are stored in (docs/upload.md): shown to every member, chosen by owners.
 * Empty means the default, `uploads` in the library's first folder. */
export function LibraryUploads({ library, manage }: { library: Library; manage: boolean }) {
  const save = useSetUploadFolder(library.id);
  const [editing, setEditing] = useState(false);
  const [path, setPath] = useState(library.upload_folder);
  const id = useId();
  const first = library.folders[0]?.path;
  const shown = library.upload_folder || (first ? `${first.replace(/\/+$/, "")}/uploads` : "");
  const error = save.isError ? describeError(save.error, "upload_folder") : undefined;
  return (
    <section className="library__uploads" aria-label={`Uploads to ${library.name}`}>
      <h4>Uploads</h4>
      {!editing && (
        <p>
          {shown ? (
            <>
              Uploaded photos are stored in <code data-testid={`upload-folder-${library.id}`}>{shown}</code>
              {library.upload_folder ? "" : " (the default)"}, by person, year and month.
            </>
          ) : (
            "Uploads need a folder: add one to this library first."
          )}{" "}
          {manage && (
            <button
              type="button"
              className="link-button"
              aria-label={`Change the upload folder of ${library.name}`}
              onClick={() => {
                setPath(library.upload_folder);
                save.reset();
                setEditing(true);
              }}
            >
              Change
            </button>
          )}
        </p>
      )}
      {editing && (
        <form
          className="library__rename"
          aria-label={`Upload folder of ${library.name}`}
          onSubmit={(event) => {
            event.preventDefault();
            save.mutate(path.trim(), { onSuccess: () => setEditing(false) });
          }}
        >
          <div className={error ? "field field--invalid" : "field"}>
            <label htmlFor={`${id}-path`}>Upload folder</label>
            <input
              id={`${id}-path`}
              spellCheck={false}
              autoCapitalize="none"
              placeholder={first ? `${first.replace(/\/+$/, "")}/uploads` : "/photos/family/uploads"}
              value={path}
              autoFocus
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : `${id}-hint`}
              onChange={(event) => {
                setPath(event.target.value);
                save.reset();
              }}
              onKeyDown={(event) => {
                if (event.key === "Escape") setEditing(false);
              }}
            />
            {error ? (
              <p id={`${id}-error`} className="field__error" role="alert">
                {error}
              </p>
            ) : (
              <p id={`${id}-hint`} className="field__hint">
                A folder inside one of the library's folders. Leave it empty for the default.
              </p>
            )}
          </div>
          <button type="submit" className="button button--primary button--small" disabled={save.isPending}>
            Save
          </button>
          <button type="button" className="button button--small" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      )}
    </section>
  );
}
