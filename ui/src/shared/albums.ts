// Albums as several features need them: the album pages, and "Add to album" from a selection
// (timeline, viewer). Types come from the API's paths, like those in api/types.ts.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { api, unwrap } from "../api/client";
import type { paths } from "../api/schema";

type JsonOf<Response> = Response extends { content: { "application/json": infer Body } } ? Body : never;

export type Album = JsonOf<paths["/api/albums"]["get"]["responses"][200]>[number];
export type AlbumRole = Album["my_role"];

export const albumKeys = {
  all: ["albums"] as const,
  list: (q = "") => ["albums", "list", q] as const,
  detail: (id: number) => ["albums", "detail", id] as const,
  photos: (id: number) => ["albums", "photos", id] as const,
  members: (id: number) => ["albums", "members", id] as const,
  candidates: (id: number) => ["albums", "candidates", id] as const,
};

/** The albums the signed-in person sees, most recently changed first; `q` filters by name. */
export function useAlbums(q = "") {
  const query = q.trim();
  return useQuery({
    queryKey: albumKeys.list(query),
    queryFn: async (): Promise<Album[]> =>
      unwrap(await api.GET("/api/albums", { params: { query: query ? { q: query } : {} } })),
    staleTime: 30_000,
  });
}

/** After any change to albums: every album list, page and photo list is refetched. */
export function useInvalidateAlbums() {
  const queryClient = useQueryClient();
  return useCallback(() => queryClient.invalidateQueries({ queryKey: albumKeys.all }), [queryClient]);
}

export function albumPath(id: number): string {
  return `/albums/${id}`;
}

/** Whether this role may change the album's photos, name, order and cover. */
export function canEditAlbum(role: AlbumRole): boolean {
  return role === "owner" || role === "editor";
}
