export const ROUTES = {
  home: "/",
  setup: "/setup",
  /** First run, after the administrator account: the first library and its classifiers. */
  welcome: "/welcome",
  login: "/login",
  jobs: "/jobs",
  photo: "/photos/:id",
  map: "/map",
  settings: "/settings",
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

/** A photo's viewer, keeping the query string (the filtered sequence it steps through). */
export function photoPath(id: number, search = ""): string {
  const query = search.startsWith("?") ? search.slice(1) : search;
  return `/photos/${id}${query ? `?${query}` : ""}`;
}
