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
 * - signed in: /setup and /login lead home (or back to the remembered page).
 */
export function redirectFor(
  session: Pick<Session, "authenticated" | "setup_required">,
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
  if (pathname === ROUTES.login || pathname === ROUTES.setup) {
    return { to: isLocalPath(from) && from !== pathname ? from : ROUTES.home };
  }
  return null;
}
