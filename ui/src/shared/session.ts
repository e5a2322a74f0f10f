import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { Session } from "../api/types";

export const sessionQueryKey = ["session"] as const;

export const SIGNED_OUT: Session = {
  authenticated: false,
  setup_required: false,
  user: null,
  map_tile_url: null,
  map_attribution: null,
};

/** Who is signed in; the server settings in the session (map tiles) are kept as they were. */
export type SessionUpdate = Pick<Session, "authenticated" | "setup_required" | "user">;

export async function fetchSession(): Promise<Session> {
  return unwrap(await api.GET("/api/auth/session"));
}

/** The current session. Also what gives the browser its CSRF cookie. */
export function useSession() {
  return useQuery({ queryKey: sessionQueryKey, queryFn: fetchSession, staleTime: 30_000 });
}

/**
 * Replace the cached session after setup, login or logout, so the route gate moves on at once;
 * a background refetch then confirms it with the server (and picks up the rotated CSRF cookie).
 */
export function useUpdateSession() {
  const queryClient = useQueryClient();
  return (update: SessionUpdate) => {
    const previous = queryClient.getQueryData<Session>(sessionQueryKey);
    const session: Session = {
      map_tile_url: previous?.map_tile_url ?? null,
      map_attribution: previous?.map_attribution ?? null,
      ...update,
    };
    if (!session.authenticated) {
      // Nothing fetched for the previous user may outlive their session.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionQueryKey[0] });
    }
    queryClient.setQueryData(sessionQueryKey, session);
    void queryClient.invalidateQueries({ queryKey: sessionQueryKey });
  };
}
