import type { Session } from "../api/types";
import { afterLogin, ROUTES } from "../shared/routes";

export interface Redirect {
  to: string;
  /** Where a signed-out person was going, so login can take them back there. */
  from?: string;
}

/**
 * Where a person with this session may not stay, and where they go instead; null to stay.
 * - setup not done yet: everyone goes to /setup;
 * - signed out: /login (remembering the page they asked for, with its query string);
 * - signed in: /login leads home (or back to the remembered page); /setup leads an administrator
 *   on to /welcome (the first library), anyone else home.
 */
export function redirectFor(
  session: Pick<Session, "authenticated" | "setup_required" | "user">,
  pathname: string,
  from?: string,
  search = "",
): Redirect | null {
  if (session.setup_required) {
    return pathname === ROUTES.setup ? null : { to: ROUTES.setup };
  }
  if (!session.authenticated) {
    if (pathname === ROUTES.login) return null;
    const query = search && search !== "?" ? search : "";
    const wanted =
      pathname === ROUTES.setup || (pathname === ROUTES.home && !query) ? undefined : pathname + query;
    return wanted ? { to: ROUTES.login, from: wanted } : { to: ROUTES.login };
  }
  // The administrator who has just been created goes on to the first library.
  if (pathname === ROUTES.setup && session.user?.is_admin) return { to: ROUTES.welcome };
  if (pathname === ROUTES.login || pathname === ROUTES.setup) {
    return { to: afterLogin(from) };
  }
  return null;
}
