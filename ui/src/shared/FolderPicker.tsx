import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../api/errors";
import { serverFoldersQuery } from "./libraries";
import { formatCount, pluralNoun } from "./format";

function FolderIcon() {
  return (
    <svg className="folder-picker__icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
      <path d="M1.5 3.5h4.2l1.5 1.5h7.3v8.5h-13z" fill="currentColor" opacity="0.35" stroke="currentColor" />
    </svg>
  );
}

/**
 * Browse the server's folders and pick the ones that hold photos. The browser cannot see the
 * server's disk (in a container, photos sit where they were mounted), so the server lists them.
 */
export function FolderPicker({
  chosen,
  onChoose,
  idPrefix,
}: {
  chosen: readonly string[];
  onChoose: (path: string) => void;
  idPrefix: string;
}) {
  const queryClient = useQueryClient();
  const [path, setPath] = useState("");
  const [draft, setDraft] = useState<string>();
  const [openError, setOpenError] = useState<string>();
  const [opening, setOpening] = useState(false);
  const listing = useQuery(serverFoldersQuery(path));
  const data = listing.data;
  const shown = draft ?? data?.path ?? path;
  const inputId = `${idPrefix}-path`;
  const errorId = `${idPrefix}-path-error`;
  const error = openError ?? (listing.isError ? errorMessage(listing.error) : undefined);
  // Open a folder only once the server has listed it: a wrong path keeps the current listing.
  const open = async (next: string) => {
    setOpening(true);
    try {
      await queryClient.fetchQuery(serverFoldersQuery(next));
      setPath(next);
      setDraft(undefined);
      setOpenError(undefined);
    } catch (failure) {
      setOpenError(errorMessage(failure));
    } finally {
      setOpening(false);
    }
  };
  const alreadyChosen = !!data && chosen.includes(data.path);

  return (
    <div className="folder-picker" role="group" aria-labelledby={`${idPrefix}-title`}>
      <p id={`${idPrefix}-title`} className="folder-picker__title">
        Folders on the server
      </p>
      <div className={error ? "field field--invalid" : "field"}>
        <label htmlFor={inputId}>Folder</label>
        <div className="folder-picker__go">
          <input
            id={inputId}
            value={shown}
            spellCheck={false}
            autoCapitalize="none"
            placeholder="/photos"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            onChange={(event) => {
              setDraft(event.target.value);
              setOpenError(undefined);
            }}
            onKeyDown={(event) => {
              if (event.key === "Enter") {
                event.preventDefault();
                void open(shown.trim());
              }
            }}
          />
          <button type="button" className="button" disabled={opening} onClick={() => void open(shown.trim())}>
            Open
          </button>
        </div>
        {error && (
          <p id={errorId} className="field__error" role="alert">
            {error}
          </p>
        )}
      </div>
      {data && data.places.length > 0 && (
        <p className="folder-picker__places">
          <span className="muted">Usual places:</span>
          {data.places.map((place) => (
            <button key={place} type="button" className="chip" onClick={() => void open(place)}>
              {place}
            </button>
          ))}
        </p>
      )}
      {listing.isPending && <p className="muted">Looking at the server's folders…</p>}
      {data && (
        <>
          <p className="folder-picker__here" data-testid={`${idPrefix}-here`}>
            <code>{data.path}</code>{" "}
            <span className="muted">
              · {formatCount(data.photo_count)}
              {data.photo_count_capped ? "+" : ""} {pluralNoun(data.photo_count, "photo")} directly inside
              {data.library
                ? ` · already in library “${data.library}”`
                : data.in_library
                  ? " · already in another library"
                  : ""}
            </span>
          </p>
          <ul className="folder-picker__list" aria-label={`Folders in ${data.path}`}>
            {data.parent && (
              <li>
                <button type="button" className="link-button" onClick={() => void open(data.parent ?? "/")}>
                  ↑ Up to {data.parent}
                </button>
              </li>
            )}
            {data.folders.map((folder) => (
              <li key={folder.path}>
                <button
                  type="button"
                  className="link-button"
                  disabled={!folder.readable}
                  title={folder.readable ? undefined : "Photonix cannot read this folder"}
                  onClick={() => void open(folder.path)}
                >
                  <FolderIcon />
                  {folder.name}
                </button>
              </li>
            ))}
            {data.folders.length === 0 && <li className="muted">No folders inside.</li>}
            {data.truncated && <li className="muted">More folders than shown: type a path above.</li>}
          </ul>
          <button
            type="button"
            className="button button--primary"
            disabled={alreadyChosen || data.in_library}
            onClick={() => onChoose(data.path)}
          >
            {alreadyChosen ? "Folder added" : "Add this folder"}
          </button>
        </>
      )}
    </div>
  );
}
