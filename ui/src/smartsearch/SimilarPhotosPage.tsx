import { Link, useParams } from "react-router";
import { errorMessage } from "../api/errors";
import { photoPath } from "../shared/routes";
import { PhotoStrip } from "./PhotoStrip";
import { useSimilarPhotos } from "./queries";
import "./smartsearch.css";

/** The photos that look most like one photo (the viewer's "Similar photos"). */
export function SimilarPhotosPage() {
  const id = Number(useParams().id);
  const similar = useSimilarPhotos(id);
  return (
    <div className="smart smart--page">
      <h1>Similar photos</h1>
      <p className="muted">
        Photos that look like <Link to={photoPath(id)}>this one</Link>, most alike first.
      </p>
      {similar.isPending && <p className="muted">Looking…</p>}
      {similar.isError && (
        <p className="field__error" role="alert">
          Could not find similar photos. {errorMessage(similar.error)}
        </p>
      )}
      {similar.data &&
        (similar.data.ok ? (
          similar.data.data.results.length === 0 ? (
            <p className="muted">No other photo yet.</p>
          ) : (
            <PhotoStrip items={similar.data.data.results} testId="similar-photos" />
          )
        ) : (
          <p className="muted" data-testid="smart-search-off">
            {similar.data.reason}
          </p>
        ))}
    </div>
  );
}
