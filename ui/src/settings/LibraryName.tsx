import { useId, useState } from "react";
import type { Library } from "../api/types";
import { describeError } from "./errors";
import { useRenameLibrary } from "./manage";

/** Rename a library in place (owners): the name, a Rename button, and the form while editing. */
export function LibraryName({ library, manage }: { library: Library; manage: boolean }) {
  const rename = useRenameLibrary(library.id);
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(library.name);
  const id = useId();
  if (!editing) {
    return (
      <>
        <h3>{library.name}</h3>
        {manage && (
          <button
            type="button"
            className="link-button"
            aria-label={`Rename ${library.name}`}
            onClick={() => {
              setName(library.name);
              rename.reset();
              setEditing(true);
            }}
          >
            Rename
          </button>
        )}
      </>
    );
  }
  const error = rename.isError ? describeError(rename.error, "name") : undefined;
  return (
    <form
      className="library__rename"
      aria-label={`Rename ${library.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        rename.mutate(name.trim(), { onSuccess: () => setEditing(false) });
      }}
    >
      <div className={error ? "field field--invalid" : "field"}>
        <label htmlFor={`${id}-name`}>Library name</label>
        <input
          id={`${id}-name`}
          required
          maxLength={200}
          value={name}
          autoFocus
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(event) => {
            setName(event.target.value);
            rename.reset();
          }}
          onKeyDown={(event) => {
            if (event.key === "Escape") setEditing(false);
          }}
        />
        {error && (
          <p id={`${id}-error`} className="field__error" role="alert">
            {error}
          </p>
        )}
      </div>
      <button type="submit" className="button button--primary button--small" disabled={rename.isPending || !name.trim()}>
        Save
      </button>
      <button type="button" className="button button--small" onClick={() => setEditing(false)}>
        Cancel
      </button>
    </form>
  );
}
