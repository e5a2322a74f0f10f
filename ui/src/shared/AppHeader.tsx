import { useMutation } from "@tanstack/react-query";
import { Link, NavLink } from "react-router";
import { api, unwrap } from "../api/client";
import { errorMessage } from "../api/errors";
import type { User } from "../api/types";
import { JobsIndicator } from "./JobsIndicator";
import { ROUTES } from "./routes";
import { ShortcutsHelp } from "./ShortcutsHelp";
import { SIGNED_OUT, useUpdateSession } from "./session";

/** The signed-in pages' header: brand, navigation, the pipeline's activity, the user. */
export function AppHeader({ user }: { user: User }) {
  const updateSession = useUpdateSession();
  const logout = useMutation({
    mutationFn: async () => unwrap(await api.POST("/api/auth/logout")),
    onSuccess: () => updateSession(SIGNED_OUT),
  });

  return (
    <header className="app-header">
      <div className="app-header__start">
        <Link className="brand" to={ROUTES.home}>
          <span className="brand__mark" aria-hidden="true" />
          Photonix
        </Link>
        <nav aria-label="Main" className="app-header__nav">
          <NavLink className="app-header__link" to={ROUTES.home} end>
            Photos
          </NavLink>
          <NavLink className="app-header__link" to={ROUTES.albums}>
            Albums
          </NavLink>
          <NavLink className="app-header__link" to={ROUTES.people}>
            People
          </NavLink>
          <NavLink className="app-header__link" to={ROUTES.map}>
            Map
          </NavLink>
          <NavLink className="app-header__link" to={ROUTES.duplicates}>
            Duplicates
          </NavLink>
          <NavLink className="app-header__link" to={ROUTES.settings}>
            Settings
          </NavLink>
          {user.is_admin && (
            <NavLink className="app-header__link" to={ROUTES.jobs}>
              Jobs
            </NavLink>
          )}
          {user.is_admin && <NavLink className="app-header__link" to={ROUTES.users}>Users</NavLink>}
          <NavLink className="app-header__link" to={ROUTES.account}>Account</NavLink>
        </nav>
      </div>
      <div className="app-header__user">
        <JobsIndicator />
        <ShortcutsHelp />
        {logout.isError && (
          <span className="field__error" role="alert">
            Could not log out. {errorMessage(logout.error)}
          </span>
        )}
        <span className="app-header__name" data-testid="current-user">
          {user.username}
        </span>
        <button
          type="button"
          className="button"
          onClick={() => logout.mutate()}
          disabled={logout.isPending}
        >
          Log out
        </button>
      </div>
    </header>
  );
}
