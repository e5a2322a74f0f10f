import { errorMessage } from "../api/errors";
import { useShellUser } from "../shared/shell";
import { PhotoStrip } from "./PhotoStrip";
import { useSemanticSearch } from "./queries";
import "./smartsearch.css";

/** Below the word results of a search: the photos whose look matches the words (smart search). */
export function SimilarInMeaning({ q }: { q: string }) {
  const user = useShellUser();
  const semantic = useSemanticSearch(q);
  if (q.trim() === "") return null;
  return (
    <section className="smart" aria-labelledby="smart-title" data-testid="similar-in-meaning">
      <h2 id="smart-title">Similar in meaning</h2>
      {semantic.isPending && <p className="muted">Looking…</p>}
      {semantic.isError && (
        <p className="field__error" role="alert">
          Could not search by meaning. {errorMessage(semantic.error)}
        </p>
      )}
      {semantic.data &&
        (semantic.data.ok ? (
          semantic.data.data.results.length === 0 ? (
            <p className="muted">No photo looks like “{q}”.</p>
          ) : (
            <PhotoStrip items={semantic.data.data.results} testId="similar-in-meaning-photos" />
          )
        ) : (
          <p className="muted" data-testid="smart-search-off">
            {semantic.data.reason}
            {!user.is_admin && " Ask an administrator."}
          </p>
        ))}
    </section>
  );
}
