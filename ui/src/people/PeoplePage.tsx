import { useId, useState } from "react";
import { Link } from "react-router";
import { photoPath } from "../shared/routes";
import type { Person } from "../api/types";
import { FaceNamer } from "../shared/FaceNamer";
import { Pager } from "../shared/Pager";
import { UNNAMED_PAGE_SIZE, useUnassignedFaces } from "../shared/faces";
import { QueryState } from "../shared/QueryState";
import { FaceCrop } from "./FaceCrop";
import { personCounts, personLabel, personPath, pickLibrary, splitPeople } from "./logic";
import "./people.css";
import { useLibraries, usePeople } from "./queries";

export function PeoplePage() {
  const libraries = useLibraries();
  const [chosen, setChosen] = useState<number | null>(null);
  const library = pickLibrary(libraries.data ?? [], chosen);
  const people = usePeople(library);
  const pickerId = useId();

  return (
    <div className="people">
      <div className="page-header">
        <div>
          <h1>People</h1>
          <p className="muted page-header__intro">Faces found in your photos, grouped by person.</p>
        </div>
        {(libraries.data?.length ?? 0) > 1 && (
          <div className="field people__library">
            <label htmlFor={pickerId}>Library</label>
            <select id={pickerId} value={library ?? ""} onChange={(event) => setChosen(Number(event.target.value))}>
              {libraries.data!.map((item) => (
                <option key={item.id} value={item.id}>
                  {item.name}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      <QueryState query={libraries} error="Could not load the libraries.">
        {() =>
          library === null ? (
            <p className="muted">No libraries yet.</p>
          ) : (
            <>
              <QueryState query={people} loading="Loading people…" error="Could not load the people.">
                {(list) => <PeopleGroups people={list} />}
              </QueryState>
              <UnnamedFaces key={library} library={library} />
            </>
          )
        }
      </QueryState>
    </div>
  );
}

function PeopleGroups({ people }: { people: Person[] }) {
  const { named, unnamed } = splitPeople(people);
  if (named.length + unnamed.length === 0) {
    return <p className="muted">No people yet. Faces are grouped after photos are processed; a face alone waits among the unnamed faces.</p>;
  }
  return (
    <>
      <section aria-labelledby="people-named">
        <h2 id="people-named">People</h2>
        {named.length === 0 ? <p className="muted">Nobody named yet: name a group below.</p> : <PersonCards people={named} label="People" />}
      </section>
      {unnamed.length > 0 && (
        <section aria-labelledby="people-unnamed">
          <h2 id="people-unnamed">Unnamed groups to review</h2>
          <PersonCards people={unnamed} label="Unnamed groups" />
        </section>
      )}
    </>
  );
}

function PersonCards({ people, label }: { people: Person[]; label: string }) {
  return (
    <ul className="person-cards" aria-label={label}>
      {people.map((person) => (
        <li key={person.id} className="person-card" data-testid="person-card">
          <Link className="person-card__link" to={personPath(person.id)}>
            <FaceCrop faceId={person.cover_face} src={person.cover_url} />
            <span className="person-card__name">{personLabel(person)}</span>
          </Link>
          <span className="muted person-card__counts">{personCounts(person)}</span>
        </li>
      ))}
    </ul>
  );
}

/** Faces on nobody — alone on their photos, or taken off someone — to name, a page at a time. */
function UnnamedFaces({ library }: { library: number }) {
  const [page, setPage] = useState(1);
  const faces = useUnassignedFaces(library, page);
  const count = faces.data?.count ?? 0;
  const pages = Math.max(1, Math.ceil(count / UNNAMED_PAGE_SIZE));
  // Naming the last faces of the last page leaves it empty: show the one before.
  if (faces.data && faces.data.results.length === 0 && page > 1) setPage(Math.min(page - 1, pages));
  if (faces.data && count === 0) return null;
  return (
    <section aria-labelledby="people-unnamed-faces">
      <h2 id="people-unnamed-faces">Unnamed faces{count > 0 && <span className="muted"> ({count})</span>}</h2>
      <QueryState query={faces} loading="Loading faces…" error="Could not load the unnamed faces.">
        {(data) => (
          <>
            <ul className="unnamed-faces" aria-label="Unnamed faces">
              {data.results.map((face) => (
                <li key={face.id} className="unnamed-face" data-testid="unnamed-face" data-face-id={face.id}>
                  <Link to={photoPath(face.photo)} aria-label={`Photo of face ${face.id}`}>
                    <FaceCrop faceId={face.id} src={face.crop_url} size="small" />
                  </Link>
                  <FaceNamer face={face} withDismiss />
                </li>
              ))}
            </ul>
            <Pager page={page} pages={pages} onPage={setPage} className="unnamed-faces__pages" label="Pages of unnamed faces" />
          </>
        )}
      </QueryState>
    </section>
  );
}
