import { Link, useParams } from "react-router";
import type { ImportError } from "../api/types";
import { QueryState } from "../shared/QueryState";
import { ROUTES } from "../shared/routes";
import { useImportErrors, useLibraries } from "./queries";
import "./settings.css";
import { formatCount, plural } from "../shared/format";

function splitPath(path: string): { folder: string; name: string } {
  const at = path.lastIndexOf("/");
  return at < 0 ? { folder: "", name: path } : { folder: path.slice(0, at + 1), name: path.slice(at + 1) };
}

const STATES: Record<string, string> = { failed: "Could not be read", unsupported: "Not supported" };

function ErrorRow({ file }: { file: ImportError }) {
  const { folder, name } = splitPath(file.path);
  return (
    <tr data-testid={`import-error-${file.id}`}>
      <td className="import-errors__path">
        <strong>{name}</strong>
        <br />
        <span className="muted">{folder}</span>
      </td>
      <td>{STATES[file.state] ?? file.state}</td>
      <td className="import-errors__reason">{file.error || "No reason recorded."}</td>
    </tr>
  );
}

/** A library's files that could not be imported (Settings links here from its count). */
export function ImportErrorsPage() {
  const id = Number(useParams().id);
  const libraries = useLibraries();
  const errors = useImportErrors(id);
  const library = libraries.data?.find((l) => l.id === id);
  return (
    <div className="settings">
      <p>
        <Link to={ROUTES.settings}>← Settings</Link>
      </p>
      <h1>Files that could not be imported{library ? ` · ${library.name}` : ""}</h1>
      <section className="card">
        <QueryState query={errors} loading="Loading the files…" error="Could not load the files that failed.">
          {(page) =>
            page.count === 0 ? (
              <p className="muted">Every file of this library was imported.</p>
            ) : (
              <>
                <div className="table-wrap">
                  <table className="table import-errors">
                    <thead>
                      <tr>
                        <th scope="col">File</th>
                        <th scope="col">State</th>
                        <th scope="col">Reason</th>
                      </tr>
                    </thead>
                    <tbody>
                      {page.results.map((file) => (
                        <ErrorRow key={file.id} file={file} />
                      ))}
                    </tbody>
                  </table>
                </div>
                {page.count > page.results.length && (
                  <p className="muted table__more">
                    Showing the first {formatCount(page.results.length)} of {plural(page.count, "file")}, by path.
                  </p>
                )}
              </>
            )
          }
        </QueryState>
      </section>
    </div>
  );
}
