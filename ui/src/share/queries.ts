import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { api, unwrap } from "../api/client";
import { ApiError, detailOf } from "../api/errors";
import type { ShareInfo, SharePhoto, SharePhotoDetail } from "../api/types";
import { retryAfterSeconds, TooManyAttempts } from "./logic";

export const SHARE_PAGE_SIZE = 100;

const shareKeys = {
  all: (token: string) => ["public-share", token] as const,
  info: (token: string) => ["public-share", token, "info"] as const,
  photos: (token: string) => ["public-share", token, "photos"] as const,
  photo: (token: string, id: number) => ["public-share", token, "photo", id] as const,
};

export function useShareInfo(token: string) {
  return useQuery({
    queryKey: shareKeys.info(token),
    queryFn: async (): Promise<ShareInfo> =>
      unwrap(await api.GET("/api/share/{token}", { params: { path: { token } } })),
    // Nothing in it changes while the page is open; a revoked link shows on the next request.
    staleTime: Infinity,
  });
}

export function useSharePhotos(token: string, enabled: boolean) {
  const query = useInfiniteQuery({
    queryKey: shareKeys.photos(token),
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET("/api/share/{token}/photos", {
          params: { path: { token }, query: { page: pageParam, page_size: SHARE_PAGE_SIZE } },
        }),
      ),
    initialPageParam: 1,
    getNextPageParam: (last, _all, page) => (last.next ? page + 1 : undefined),
    enabled,
    staleTime: Infinity,
  });
  const photos = useMemo<SharePhoto[]>(() => query.data?.pages.flatMap((page) => page.results) ?? [], [query.data]);
  return { ...query, photos };
}

export function useSharePhoto(token: string, id: number | null) {
  return useQuery({
    queryKey: shareKeys.photo(token, id ?? 0),
    queryFn: async (): Promise<SharePhotoDetail> =>
      unwrap(
        await api.GET("/api/share/{token}/photos/{photo_id}", { params: { path: { token, photo_id: id ?? 0 } } }),
      ),
    enabled: id !== null,
    staleTime: Infinity,
  });
}

/** Send the password; on success the browser holds the share's cookie and everything reloads. */
export function useUnlock(token: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (password: string) => {
      const result = await api.POST("/api/share/{token}/unlock", { params: { path: { token } }, body: { password } });
      if (result.response.status === 429) {
        throw new TooManyAttempts(
          result.error,
          retryAfterSeconds(result.response.headers.get("Retry-After"), detailOf(result.error)),
        );
      }
      if (!result.response.ok) throw new ApiError(result.response.status, result.error);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: shareKeys.all(token) }),
  });
}
