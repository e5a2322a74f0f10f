// Albums as several features need them: the album pages, and "Add to album" from a selection
// (timeline, viewer).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { api, unwrap } from "../api/client";
import type { Album, AlbumPhoto, AlbumRole } from "../api/types";

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

/** The largest page the album's photo list serves; the page loads them all (reorder needs them). */
const ALBUM_PAGE_SIZE = 1000;

export function useAlbum(id: number) {
  return useQuery({
    queryKey: albumKeys.detail(id),
    queryFn: async (): Promise<Album> =>
      unwrap(await api.GET("/api/albums/{album_id}", { params: { path: { album_id: id } } })),
    enabled: Number.isFinite(id),
  });
}

/** Every photo of the album, in its order. */
export function useAlbumPhotos(id: number) {
  return useQuery({
    queryKey: albumKeys.photos(id),
    queryFn: async (): Promise<AlbumPhoto[]> => {
      const photos: AlbumPhoto[] = [];
      for (let page = 1; ; page++) {
        const data = unwrap(
          await api.GET("/api/albums/{album_id}/photos", {
            params: { path: { album_id: id }, query: { page, page_size: ALBUM_PAGE_SIZE } },
          }),
        );
        photos.push(...data.results);
        if (!data.next || data.results.length === 0) return photos;
      }
    },
    enabled: Number.isFinite(id),
  });
}

/** Take photos out of the album (they stay in the library); every album query is refetched. */
export function useRemoveFromAlbum(id: number) {
  const invalidate = useInvalidateAlbums();
  return useMutation({
    mutationFn: async (ids: number[]) =>
      unwrap(await api.POST("/api/albums/{album_id}/photos/remove", { params: { path: { album_id: id } }, body: { ids } })),
    onSuccess: () => void invalidate(),
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

/** A photo of the album in the viewer (previous and next follow the album's order). */
export function albumPhotoPath(albumId: number, photoId: number): string {
  return `/albums/${albumId}/photos/${photoId}`;
}

/** Whether this role may change the album's photos, name, order and cover. */
export function canEditAlbum(role: AlbumRole): boolean {
  return role === "owner" || role === "editor";
}
