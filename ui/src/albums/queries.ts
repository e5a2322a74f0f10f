import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { paths } from "../api/schema";
import { type Album, albumKeys, useInvalidateAlbums } from "../shared/albums";
import type { ReorderBody, ShareCreateBody, SharePatchBody } from "./logic";

type JsonOf<Response> = Response extends { content: { "application/json": infer Body } } ? Body : never;

export type AlbumPhoto = JsonOf<paths["/api/albums/{album_id}/photos"]["get"]["responses"][200]>["results"][number];
export type Member = JsonOf<paths["/api/albums/{album_id}/members"]["get"]["responses"][200]>[number];
export type Candidate = JsonOf<paths["/api/albums/{album_id}/candidates"]["get"]["responses"][200]>[number];
export type ShareLink = JsonOf<paths["/api/shares"]["get"]["responses"][200]>[number];
export type ShareCreated = JsonOf<paths["/api/shares"]["post"]["responses"][201]>;
export type LibraryPhoto = JsonOf<paths["/api/photos"]["get"]["responses"][200]>["results"][number];
export type Role = Member["role"];

/** The largest page the album's photo list serves; the page loads them all (reorder needs them). */
const ALBUM_PAGE_SIZE = 1000;

export const shareKeys = {
  all: ["shares"] as const,
  list: (album?: number) => ["shares", "list", album ?? null] as const,
};

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
  const removePhotos = useMutation({
    mutationFn: async (ids: number[]) =>
      unwrap(await api.POST("/api/albums/{album_id}/photos/remove", { params: { path }, body: { ids } })),
    onSuccess: () => void invalidate(),
  });
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
    queryFn: async (): Promise<Member[]> =>
      unwrap(await api.GET("/api/albums/{album_id}/members", { params: { path: { album_id: id } } })),
  });
}

export function useCandidates(id: number, enabled: boolean) {
  return useQuery({
    queryKey: albumKeys.candidates(id),
    queryFn: async (): Promise<Candidate[]> =>
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
    mutationFn: async ({ user_id, role }: { user_id: number; role: Role }) =>
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
// Public links

export function useShareLinks(album?: number) {
  return useQuery({
    queryKey: shareKeys.list(album),
    queryFn: async (): Promise<ShareLink[]> =>
      unwrap(await api.GET("/api/shares", { params: { query: album ? { album } : {} } })),
  });
}

export function useShareActions() {
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: shareKeys.all });
  const create = useMutation({
    mutationFn: async (body: ShareCreateBody): Promise<ShareCreated> => unwrap(await api.POST("/api/shares", { body })),
    onSuccess: refresh,
  });
  const update = useMutation({
    mutationFn: async ({ id, body }: { id: number; body: SharePatchBody }) =>
      unwrap(await api.PATCH("/api/shares/{share_id}", { params: { path: { share_id: id } }, body })),
    onSuccess: refresh,
  });
  const revoke = useMutation({
    mutationFn: async (id: number) =>
      unwrap(await api.DELETE("/api/shares/{share_id}", { params: { path: { share_id: id } } })),
    onSuccess: refresh,
  });
  return { create, update, revoke };
}

// ---------------------------------------------------------------------------------------------
// The library's photos, for the "Add photos" picker

export const PICKER_PAGE_SIZE = 60;

export function useLibraryPhotos(library: number, page: number) {
  return useQuery({
    queryKey: ["photos", "library-list", library, page],
    queryFn: async () =>
      unwrap(await api.GET("/api/photos", { params: { query: { library, page, page_size: PICKER_PAGE_SIZE } } })),
    placeholderData: (previous) => previous,
  });
}
