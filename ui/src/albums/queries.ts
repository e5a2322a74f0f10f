import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { Album, AlbumCandidate, AlbumMember, AlbumMemberRole, AlbumPhoto, ReorderBody } from "../api/types";
import { albumKeys, useInvalidateAlbums, useRemoveFromAlbum } from "../shared/albums";
import { shareKeys } from "../shared/shareLinks";

export { useAlbum, useAlbumPhotos } from "../shared/albums";
export { shareKeys, useShareActions, useShareLinks } from "../shared/shareLinks";

export function useAlbumActions(id: number) {
  const queryClient = useQueryClient();
  const invalidate = useInvalidateAlbums();
  const path = { album_id: id };

  const update = useMutation({
    mutationFn: async (body: { name?: string; description?: string; sort?: Album["sort"]; cover_id?: number | null }) =>
      unwrap(await api.PATCH("/api/albums/{album_id}", { params: { path }, body })),
    onSuccess: (album) => {
      queryClient.setQueryData(albumKeys.detail(id), album);
      void invalidate();
    },
  });
  const remove = useMutation({
    mutationFn: async () => unwrap(await api.DELETE("/api/albums/{album_id}", { params: { path } })),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: albumKeys.detail(id) });
      queryClient.removeQueries({ queryKey: albumKeys.photos(id) });
      void invalidate();
      void queryClient.invalidateQueries({ queryKey: shareKeys.all });
    },
  });
  const addPhotos = useMutation({
    mutationFn: async (ids: number[]) =>
      unwrap(await api.POST("/api/albums/{album_id}/photos", { params: { path }, body: { ids } })),
    onSuccess: () => void invalidate(),
  });
  const removePhotos = useRemoveFromAlbum(id);
  const reorder = useMutation({
    mutationFn: async ({ body }: { body: ReorderBody; order: number[] }) =>
      unwrap(await api.POST("/api/albums/{album_id}/reorder", { params: { path }, body })),
    // The new order shows at once; the server's answer (or a reload after a conflict) follows.
    onMutate: async ({ order }) => {
      await queryClient.cancelQueries({ queryKey: albumKeys.photos(id) });
      const previous = queryClient.getQueryData<AlbumPhoto[]>(albumKeys.photos(id));
      if (previous) {
        const byId = new Map(previous.map((photo) => [photo.id, photo]));
        queryClient.setQueryData(
          albumKeys.photos(id),
          order.flatMap((photoId) => byId.get(photoId) ?? []),
        );
      }
      return { previous };
    },
    onError: (_error, _vars, context) => {
      if (context?.previous) queryClient.setQueryData(albumKeys.photos(id), context.previous);
    },
    onSuccess: (album) => queryClient.setQueryData(albumKeys.detail(id), album),
    onSettled: () => void invalidate(),
  });
  return { update, remove, addPhotos, removePhotos, reorder };
}

// ---------------------------------------------------------------------------------------------
// Members

export function useMembers(id: number) {
  return useQuery({
    queryKey: albumKeys.members(id),
    queryFn: async (): Promise<AlbumMember[]> =>
      unwrap(await api.GET("/api/albums/{album_id}/members", { params: { path: { album_id: id } } })),
  });
}

export function useCandidates(id: number, enabled: boolean) {
  return useQuery({
    queryKey: albumKeys.candidates(id),
    queryFn: async (): Promise<AlbumCandidate[]> =>
      unwrap(await api.GET("/api/albums/{album_id}/candidates", { params: { path: { album_id: id } } })),
    enabled,
  });
}

export function useMemberActions(id: number) {
  const queryClient = useQueryClient();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: albumKeys.members(id) });
    void queryClient.invalidateQueries({ queryKey: albumKeys.candidates(id) });
  };
  const set = useMutation({
    mutationFn: async ({ user_id, role }: { user_id: number; role: AlbumMemberRole }) =>
      unwrap(
        await api.POST("/api/albums/{album_id}/members", { params: { path: { album_id: id } }, body: { user_id, role } }),
      ),
    onSuccess: (members) => {
      queryClient.setQueryData(albumKeys.members(id), members);
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: async (userId: number) =>
      unwrap(
        await api.DELETE("/api/albums/{album_id}/members/{user_id}", {
          params: { path: { album_id: id, user_id: userId } },
        }),
      ),
    onSuccess: refresh,
  });
  return { set, remove };
}

// ---------------------------------------------------------------------------------------------
// The library's photos, for the "Add photos" picker

export const PICKER_PAGE_SIZE = 60;

/**
 * The library's photos newest first, narrowed by the timeline's free-text search (`q`), a page at
 * a time: the timeline's own list, so photos not recorded yet stay out as they do there.
 */
export function useLibraryPhotos(library: number, q: string) {
  return useInfiniteQuery({
    queryKey: ["photos", "picker", library, q],
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET("/api/timeline", {
          params: { query: { library, q: q || undefined, cursor: pageParam || undefined, limit: PICKER_PAGE_SIZE } },
        }),
      ),
    initialPageParam: "",
    getNextPageParam: (last) => last.next_cursor || undefined,
    placeholderData: (previous) => previous,
  });
}
