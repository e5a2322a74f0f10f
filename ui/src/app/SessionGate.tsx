import { Navigate, Outlet, useLocation } from "react-router";
import { errorMessage } from "../api/errors";
import { fromState } from "../shared/routes";
import { useSession } from "../shared/session";
import { redirectFor } from "./routing";

/** Loads the session once and sends every route where the session says it belongs. */
export function SessionGate() {
  const location = useLocation();
  const session = useSession();

  if (session.isPending) {
    return (
      <main className="splash" aria-busy="true">
        <p className="muted">Loading Photonix…</p>
      </main>
    );
  }
  if (session.isError) {
    return (
      <main className="splash">
        <div className="card splash__card" role="alert">
          <h1>Photonix is not answering</h1>
          <p>{errorMessage(session.error)}</p>
          <button type="button" className="button button--primary" onClick={() => void session.refetch()}>
            Try again
          </button>
        </div>
      </main>
    );
  }

  const redirect = redirectFor(session.data, location.pathname, fromState(location.state), location.search);
  if (redirect) {
    // A remembered page carries its own query string; a redirect to the same path keeps this one.
    const to =
      redirect.to.includes("?") || redirect.to !== location.pathname
        ? redirect.to
        : { pathname: redirect.to, search: location.search };
    return (
      <Navigate
        to={to}
        replace
        state={redirect.from ? { from: redirect.from } : undefined}
      />
    );
  }
  return <Outlet />;
}
