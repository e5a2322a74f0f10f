import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { Album, PhotoDetail, PhotoUpdate } from "../api/types";
import { albumKeys } from "../shared/albums";
import { jobsQueryKey } from "../shared/jobsSummary";
import { photoKeys, useInvalidatePhotos } from "../shared/photos";

export function useUpdatePhoto(id: number) {
  const queryClient = useQueryClient();
  const invalidate = useInvalidatePhotos();
  return useMutation({
    mutationFn: async (body: PhotoUpdate) =>
      unwrap(await api.PATCH("/api/photos/{photo_id}", { params: { path: { photo_id: id } }, body })),
    onMutate: (body) => {
      // Show the change at once; the answer (or the refetch) confirms it.
      const previous = queryClient.getQueryData<PhotoDetail>(photoKeys.detail(id));
      if (previous) {
        const next = { ...previous };
        if (body.rating !== undefined) next.rating = body.rating;
        if (body.hidden !== undefined) next.hidden = body.hidden;
        // A turn adds to what the server has when it arrives: quick turns in a row all count.
        if (body.turn !== undefined) next.user_rotation = (((next.user_rotation + body.turn) % 360) + 360) % 360;
        queryClient.setQueryData(photoKeys.detail(id), next);
      }
      return { previous };
    },
    onError: (_error, _body, context) => {
      if (context?.previous) queryClient.setQueryData(photoKeys.detail(id), context.previous);
    },
    onSettled: () => void invalidate(),
  });
}

export function useSetPreferred(id: number) {
  const invalidate = useInvalidatePhotos();
  return useMutation({
    mutationFn: async (fileId: number) =>
      unwrap(await api.POST("/api/photos/{photo_id}/preferred", { params: { path: { photo_id: id } }, body: { file_id: fileId } })),
    onSettled: () => void invalidate(),
  });
}

export function useFileMetadata(fileId: number | null) {
  return useQuery({
    queryKey: ["files", fileId, "metadata"],
    queryFn: async () =>
      unwrap(await api.GET("/api/files/{file_id}/metadata", { params: { path: { file_id: fileId ?? 0 } } })),
    enabled: fileId !== null,
  });
}

/** The faces on a photo, with their person: boxes are fractions of the displayed image. */
export function usePhotoFaces(photoId: number, enabled: boolean) {
  return useQuery({
    queryKey: ["photo-faces", photoId],
    enabled,
    queryFn: async () =>
      unwrap(await api.GET("/api/photos/{photo_id}/faces", { params: { path: { photo_id: photoId } } })),
  });
}

/** The photo's tags with their boxes (the detector's objects), fetched only when shown. */
export function usePhotoTags(photoId: number, enabled: boolean) {
  return useQuery({
    queryKey: ["photo-tags", photoId],
    enabled,
    queryFn: async () =>
      unwrap(await api.GET("/api/photos/{photo_id}/tags", { params: { path: { photo_id: photoId } } })),
  });
}

/** The albums holding the photo that the person sees (under the albums' key: refetched on every change). */
export function usePhotoAlbums(photoId: number) {
  return useQuery({
    queryKey: [...albumKeys.all, "photo", photoId],
    queryFn: async (): Promise<Album[]> => unwrap(await api.GET("/api/albums", { params: { query: { photo: photoId } } })),
  });
}

/** The newest failed job of a photo (dismissed or not), for an administrator to retry; null
 * when there is none. */
export function usePhotoFailedJob(photoId: number, enabled: boolean) {
  return useQuery({
    queryKey: [...jobsQueryKey, "photo", photoId, "failed"],
    enabled,
    queryFn: async () => {
      const page = unwrap(
        await api.GET("/api/jobs", {
          params: { query: { photo: photoId, state: "failed", include_dismissed: true, page_size: 1 } },
        }),
      );
      return page.results[0] ?? null;
    },
  });
}

/** Retry a failed job: its photo's missing stages are sent again; photos and jobs are read again. */
export function useRetryJob() {
  const queryClient = useQueryClient();
  const invalidate = useInvalidatePhotos();
  return useMutation({
    mutationFn: async (jobId: number) =>
      unwrap(await api.POST("/api/jobs/{job_id}/retry", { params: { path: { job_id: jobId } } })),
    onSettled: () => {
      void invalidate();
      void queryClient.invalidateQueries({ queryKey: jobsQueryKey });
    },
  });
}
