export const ROUTES = {
  home: "/",
  setup: "/setup",
  /** First run, after the administrator account: the first library and its classifiers. */
  welcome: "/welcome",
  login: "/login",
  jobs: "/jobs",
  photo: "/photos/:id",
  /** The photos that look like one photo (smart search). */
  similar: "/similar/:id",
  map: "/map",
  /** Near-duplicates and bursts to review: keep the best, stack the rest. */
  duplicates: "/duplicates",
  /** The photos of a stack, named by its cover. */
  stack: "/stacks/:id",
  settings: "/settings",
  /** A library's files that could not be imported: path and reason. */
  importErrors: "/settings/libraries/:id/errors",
  albums: "/albums",
  album: "/albums/:id",
  /** The viewer over an album, stepping through the album's photos in its order. */
  albumPhoto: "/albums/:id/photos/:photoId",
  shares: "/shares",
  people: "/people",
  person: "/people/:id",
  users: "/users",
  account: "/account",
  /** The public page of a share link: outside the session gate, it needs no account. */
  share: "/s/:token",
} as const;

export function importErrorsPath(libraryId: number): string {
  return `/settings/libraries/${libraryId}/errors`;
}

export function stackPath(coverId: number): string {
  return `/stacks/${coverId}`;
}

export function similarPath(id: number): string {
  return `/similar/${id}`;
}

/** A photo's viewer, keeping the query string (the filtered sequence it steps through). */
export function photoPath(id: number, search = ""): string {
  const query = search.startsWith("?") ? search.slice(1) : search;
  return `/photos/${id}${query ? `?${query}` : ""}`;
}

/** Only our own paths; never `//host` or a full URL. */
function isLocalPath(path: string | undefined): path is string {
  return !!path && path.startsWith("/") && !path.startsWith("//");
}

function pathOnly(path: string): string {
  return path.split(/[?#]/, 1)[0] ?? path;
}

/** Where a person who has just signed in goes: back to the remembered page (its query string too), or home. */
export function afterLogin(from?: string): string {
  return isLocalPath(from) && pathOnly(from) !== ROUTES.login && pathOnly(from) !== ROUTES.setup
    ? from
    : ROUTES.home;
}

/** The page a signed-out person asked for, as the route gate remembers it in the location state. */
export function fromState(state: unknown): string | undefined {
  if (typeof state === "object" && state !== null && "from" in state && typeof state.from === "string") {
    return state.from;
  }
  return undefined;
}
