import type { Session } from "../api/types";
import { ROUTES } from "../shared/routes";

export interface Redirect {
  to: string;
  /** Where a signed-out person was going, so login can take them back there. */
  from?: string;
}

/** Only our own paths; never `//host` or a full URL. */
function isLocalPath(path: string | undefined): path is string {
  return !!path && path.startsWith("/") && !path.startsWith("//");
}

/**
 * Where a person with this session may not stay, and where they go instead; null to stay.
 * - setup not done yet: everyone goes to /setup;
 * - signed out: /login (remembering the page they asked for);
 * - signed in: /login leads home (or back to the remembered page); /setup leads an administrator
 *   on to /welcome (the first library), anyone else home.
 */
export function redirectFor(
  session: Pick<Session, "authenticated" | "setup_required" | "user">,
  pathname: string,
  from?: string,
): Redirect | null {
  if (session.setup_required) {
    return pathname === ROUTES.setup ? null : { to: ROUTES.setup };
  }
  if (!session.authenticated) {
    if (pathname === ROUTES.login) return null;
    const wanted = pathname === ROUTES.home || pathname === ROUTES.setup ? undefined : pathname;
    return wanted ? { to: ROUTES.login, from: wanted } : { to: ROUTES.login };
  }
  // The administrator who has just been created goes on to the first library.
  if (pathname === ROUTES.setup && session.user?.is_admin) return { to: ROUTES.welcome };
  if (pathname === ROUTES.login || pathname === ROUTES.setup) {
    return { to: isLocalPath(from) && from !== pathname ? from : ROUTES.home };
  }
  return null;
}
