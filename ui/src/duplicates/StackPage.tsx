import { Link, useNavigate, useParams } from "react-router";
import { errorMessage } from "../api/errors";
import { gridUrl } from "../shared/photoUrls";
import { photoPath, ROUTES } from "../shared/routes";
import { useStack, useUnstack } from "./queries";
import "./duplicates.css";

/** The photos of a stack, its cover first; undoing it puts them all back on the timeline. */
export function StackPage() {
  const id = Number(useParams().id);
  const stack = useStack(id);
  const unstack = useUnstack();
  const navigate = useNavigate();
  return (
    <div className="dupes">
      <h1>Stack</h1>
      {stack.isPending && <p className="muted">Loading the stack…</p>}
      {stack.isError && (
        <p className="field__error" role="alert">
          Could not open this stack. {errorMessage(stack.error)}
        </p>
      )}
      {stack.data && (
        <>
          <p className="muted">
            {stack.data.photos.length} photos shown on the timeline as the first one.
          </p>
          <ul className="dupes__shots" data-testid="stack-photos">
            {stack.data.photos.map((photo, index) => (
              <li key={photo.id} className={index === 0 ? "dupes__shot dupes__shot--keep" : "dupes__shot"} data-photo-id={photo.id}>
                <Link to={photoPath(photo.id)} aria-label={index === 0 ? `Cover, photo ${photo.id}` : `Photo ${photo.id}`}>
                  <img src={gridUrl(photo.id, photo.thumbnail_version)} alt="" loading="lazy" />
                </Link>
                {index === 0 && <span className="dupes__facts">Cover</span>}
              </li>
            ))}
          </ul>
          <div className="dupes__actions">
            <button
              type="button"
              className="button"
              disabled={unstack.isPending}
              onClick={() => unstack.mutate(id, { onSuccess: () => void navigate(ROUTES.home) })}
            >
              Unstack
            </button>
            {unstack.isError && (
              <span className="field__error" role="alert">
                Could not unstack. {errorMessage(unstack.error)}
              </span>
            )}
          </div>
        </>
      )}
    </div>
  );
}
