import { useState } from "react";
import { Link } from "react-router";
import { errorMessage } from "../api/errors";
import type { ClassifierSwitches, Library, User } from "../api/types";
import { FolderPicker } from "../shared/FolderPicker";
import { FormAlert } from "../shared/FormAlert";
import { classifierLabel, createLibraryErrorMessage } from "../shared/libraries";
import { QueryState } from "../shared/QueryState";
import { importErrorsPath } from "../shared/routes";
import { useShellUser } from "../shared/shell";
import { LibraryDates } from "./LibraryDates";
import { LibraryFolders } from "./LibraryFolders";
import { LibraryMembers } from "./LibraryMembers";
import { LibraryName } from "./LibraryName";
import { LibraryUploads } from "./LibraryUploads";
import { ROLES, canManage } from "./manage";
import { MapSource } from "./MapSource";
import { useClassifiers, useCreateLibrary, useLibraries, useScanLibrary, useSetClassifier } from "./queries";
import "./settings.css";
import { SmartSearchCard } from "../smartsearch/SmartSearchCard";
import { SystemStatus } from "./SystemStatus";
import { formatCount, plural } from "../shared/format";

function Classifiers({ library, canEdit }: { library: Library; canEdit: boolean }) {
  const classifiers = useClassifiers(library.id);
  return (
    <QueryState query={classifiers} loading="Loading classifiers…" error="Could not load the classifiers.">
      {(switches) =>
        switches === null ? (
          <p className="muted" data-testid="classifiers-coming">
            Classifier switches are coming: this server does not offer them yet.
          </p>
        ) : (
          <ClassifierSwitches library={library} switches={switches} canEdit={canEdit} />
        )
      }
    </QueryState>
  );
}

function ClassifierSwitches({
  library,
  switches,
  canEdit,
}: {
  library: Library;
  switches: ClassifierSwitches;
  canEdit: boolean;
}) {
  const setClassifier = useSetClassifier(library.id);
  return (
    <fieldset className="switches" data-testid={`classifiers-${library.id}`}>
      <legend>Classifiers</legend>
      {switches.classifiers.map((c) => (
        <label key={c.name} className="switch">
          <input
            type="checkbox"
            role="switch"
            checked={c.enabled}
            disabled={!canEdit || setClassifier.isPending}
            onChange={(event) => setClassifier.mutate({ classifiers: [{ name: c.name, version: c.version, enabled: event.target.checked }] })}
          />
          <span>{classifierLabel(c.name)}</span>
        </label>
      ))}
      {setClassifier.isError && <p className="field__error">{errorMessage(setClassifier.error)}</p>}
    </fieldset>
  );
}

function LibraryCard({ library, user }: { library: Library; user: User }) {
  const scan = useScanLibrary();
  // Gated on the caller's role in this library (administrators manage the libraries they are in).
  const manage = canManage(library, user);
  return (
    <article className="library" aria-label={library.name} data-testid={`library-${library.id}`}>
      <div className="library__header">
        <LibraryName library={library} manage={manage} />
        <span className="badge" data-testid={`role-${library.id}`}>
          Your role: {ROLES.find((r) => r.value === library.role)?.label ?? library.role}
        </span>
        <span className="muted">
          {plural(library.photo_count, "photo")}
          {library.error_count ? (
            <>
              {" · "}
              <Link to={importErrorsPath(library.id)} data-testid={`import-errors-${library.id}`}>
                {formatCount(library.error_count)} could not be imported
              </Link>
            </>
          ) : null}
        </span>
        {manage && (
          <button type="button" className="button button--small" disabled={scan.isPending} onClick={() => scan.mutate(library.id)}>
            {scan.isSuccess ? "Scan started" : "Scan now"}
          </button>
        )}
      </div>
      {scan.isError && <p className="field__error">{errorMessage(scan.error)}</p>}
      <LibraryFolders library={library} me={user} manage={manage} />
      <LibraryUploads library={library} manage={manage} />
      <LibraryMembers library={library} me={user} manage={manage} />
      <Classifiers library={library} canEdit={manage} />
      <LibraryDates library={library} manage={manage} />
    </article>
  );
}

function AddLibrary() {
  const create = useCreateLibrary();
  const [name, setName] = useState("");
  const [folders, setFolders] = useState("");
  const [watched, setWatched] = useState(true);
  const [browsing, setBrowsing] = useState(false);
  const paths = folders
    .split("\n")
    .map((p) => p.trim())
    .filter(Boolean);
  return (
    <form
      className="add-library"
      aria-label="Add a library"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate(
          { name: name.trim(), folders: paths, watched },
          {
            onSuccess: () => {
              setName("");
              setFolders("");
              setBrowsing(false);
            },
          },
        );
      }}
    >
      <h3>Add a library</h3>
      {create.isError && <FormAlert>{createLibraryErrorMessage(create.error)}</FormAlert>}
      <div className="field">
        <label htmlFor="library-name">Name</label>
        <input id="library-name" required value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="library-folders">Folders on the server</label>
        <textarea id="library-folders" required rows={3} placeholder="/photos/family" value={folders} onChange={(e) => setFolders(e.target.value)} />
        <p className="field__hint">
          One absolute path per line.{" "}
          <button type="button" className="link-button" aria-expanded={browsing} onClick={() => setBrowsing(!browsing)}>
            {browsing ? "Close the folder list" : "Browse the server's folders"}
          </button>
        </p>
      </div>
      {browsing && (
        <FolderPicker
          idPrefix="library-browse"
          chosen={paths}
          onChoose={(path) => setFolders((current) => [...current.split("\n").filter((line) => line.trim()), path].join("\n"))}
        />
      )}
      <label className="switch">
        <input type="checkbox" checked={watched} onChange={(e) => setWatched(e.target.checked)} />
        <span>Watch the folders for new photos</span>
      </label>
      <button type="submit" className="button button--primary" disabled={create.isPending}>
        Add library
      </button>
    </form>
  );
}

/** Libraries (name, folders, members, classifier switches), the account and the system's health. */
export function SettingsPage() {
  const user = useShellUser();
  const libraries = useLibraries();
  return (
    <div className="settings">
      <h1>Settings</h1>
      <section className="card" aria-labelledby="account-title">
        <h2 id="account-title">Account</h2>
        <p className="welcome">
          Signed in as <strong>{user.username}</strong>
          {user.is_admin && " (administrator)"}.
        </p>
      </section>
      <section className="card" aria-labelledby="libraries-title">
        <h2 id="libraries-title">Libraries</h2>
        <QueryState query={libraries} error="Could not load the libraries.">
          {(list) =>
            list.length === 0 ? (
              <p className="muted">No libraries yet.</p>
            ) : (
              list.map((library) => <LibraryCard key={library.id} library={library} user={user} />)
            )
          }
        </QueryState>
        {user.is_admin ? <AddLibrary /> : <p className="muted">An administrator adds libraries.</p>}
      </section>
      <SmartSearchCard />
      {user.is_admin && <MapSource />}
      <SystemStatus />
    </div>
  );
}
