import { useMutation } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { Link, NavLink, useLocation } from "react-router";
import { api, unwrap } from "../api/client";
import { errorMessage } from "../api/errors";
import type { User } from "../api/types";
import { JobsIndicator } from "./JobsIndicator";
import { ROUTES } from "./routes";
import { ShortcutsHelp } from "./ShortcutsHelp";
import { SIGNED_OUT, useUpdateSession } from "./session";

/** The places every signed-in person has; the rest of the navigation depends on the role. */
function secondaryLinks(user: User): { to: string; label: string }[] {
  return [
    { to: ROUTES.duplicates, label: "Duplicates" },
    { to: ROUTES.settings, label: "Settings" },
    ...(user.is_admin
      ? [
          { to: ROUTES.jobs, label: "Jobs" },
          { to: ROUTES.users, label: "Users" },
        ]
      : []),
    { to: ROUTES.account, label: "Account" },
  ];
}

/**
 * The signed-in pages' header: brand, navigation, the pipeline's activity, the user.
 *
 * On a wide window every place sits in the header. On a phone the navigation is a bar along the
 * bottom of the screen (Photos, Albums, People, Map) whose "More" opens a menu with the other
 * places and Log out; the menu closes when a place is chosen, on Escape, or on a second tap.
 */
export function AppHeader({ user }: { user: User }) {
  const updateSession = useUpdateSession();
  const logout = useMutation({
    mutationFn: async () => unwrap(await api.POST("/api/auth/logout")),
    onSuccess: () => updateSession(SIGNED_OUT),
  });
  const location = useLocation();
  // The menu belongs to the page it was opened on: going anywhere closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const menuOpen = openOn === location.key;
  const menuId = useId();
  const secondary = secondaryLinks(user);
  const moreButton = useRef<HTMLButtonElement>(null);

  return (
    <header
      className="app-header"
      onKeyDown={(event) => {
        // Escape from the menu or its button closes the menu, focus back on More.
        if (!menuOpen || event.key !== "Escape") return;
        setOpenOn(null);
        moreButton.current?.focus();
      }}
    >
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
          {secondary.map((link) => (
            <NavLink key={link.to} className="app-header__link app-header__link--secondary" to={link.to}>
              {link.label}
            </NavLink>
          ))}
          <button
            ref={moreButton}
            type="button"
            className={`app-header__link app-header__more${secondary.some((l) => location.pathname.startsWith(l.to)) ? " active" : ""}`}
            aria-expanded={menuOpen}
            aria-controls={menuId}
            onClick={() => setOpenOn(menuOpen ? null : location.key)}
          >
            More
          </button>
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
          className="button app-header__logout"
          onClick={() => logout.mutate()}
          disabled={logout.isPending}
        >
          Log out
        </button>
      </div>
      {menuOpen && (
        <nav
          id={menuId}
          aria-label="More"
          className="app-header__menu"
        >
          {secondary.map((link) => (
            <NavLink key={link.to} className="app-header__menu-link" to={link.to}>
              {link.label}
            </NavLink>
          ))}
          <div className="app-header__menu-user">
            <span>
              Signed in as <strong>{user.username}</strong>
            </span>
            <button type="button" className="button" onClick={() => logout.mutate()} disabled={logout.isPending}>
              Log out
            </button>
          </div>
        </nav>
      )}
    </header>
  );
}
