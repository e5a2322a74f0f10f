import { plural } from "../shared/format";
import { errorMessage } from "../api/errors";
import { QueryState } from "../shared/QueryState";
import { useShellUser } from "../shared/shell";
import { useEnableSmartSearch, useSmartSearchStatus } from "./queries";

/** Settings: whether smart search works, why not, and (administrators) turning it on. */
export function SmartSearchCard() {
  const user = useShellUser();
  const status = useSmartSearchStatus();
  const enable = useEnableSmartSearch();
  if (status.data === null) return null;
  return (
    <section className="card" aria-labelledby="smart-search-title" data-testid="smart-search-card">
      <h2 id="smart-search-title">Smart search</h2>
      <p className="muted">
        Find photos by what they show (“dog on a beach”) and photos that look alike. Needs a one-time download of
        an image-text model (about 600 MB).
      </p>
      <QueryState query={status} error="Could not load the state of smart search.">
        {(state) =>
          state && (
          <>
            <p data-testid="smart-search-state">
              {state.available
                ? `On: ${state.model}, ${plural(state.embedded_photos, "photo")} looked at.`
                : `Off: ${state.reason}`}
            </p>
            {user.is_admin && !state.model_present && (
              <button
                type="button"
                className="button button--primary"
                disabled={enable.isPending || enable.isSuccess}
                onClick={() => enable.mutate()}
              >
                {enable.isSuccess ? "Downloading…" : "Turn on smart search"}
              </button>
            )}
            {enable.isSuccess && (
              <p className="muted" role="status">
                The model is being downloaded and checked; photos are looked at once it is in (see Jobs).
              </p>
            )}
            {enable.isError && (
              <p className="field__error" role="alert">
                {errorMessage(enable.error)}
              </p>
            )}
          </>
          )
        }
      </QueryState>
    </section>
  );
}
