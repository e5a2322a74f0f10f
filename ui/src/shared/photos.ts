// Queries over the photos that several features share: the timeline sequence (the viewer steps
// through the same cached pages the timeline shows), a photo's detail, and their invalidation.
import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import { api, unwrap } from "../api/client";
import type { PhotoDetail, TimelineItem } from "../api/types";
import { type Filters, filtersFrom, filtersToSearch, parseFilters } from "./filters";

export const TIMELINE_PAGE_SIZE = 200;

/** Filters and the month the timeline starts at (`at`), read from the URL. */
export function useFilters() {
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  const filters = useMemo(() => parseFilters(search), [search]);
  const at = params.get("at") ?? undefined;
  const setFilters = useCallback(
    (next: Filters, options: { at?: string; replace?: boolean } = {}) => {
      setParams(filtersToSearch(next, { at: options.at }), { replace: options.replace ?? false });
    },
    [setParams],
  );
  return { filters, at, search, setFilters };
}

export const photoKeys = {
  all: ["photos"] as const,
  timeline: (filters: Filters) => ["photos", "timeline", filtersToSearch(filters)] as const,
  months: (filters: Filters) => ["photos", "months", filtersToSearch(filters)] as const,
  facets: (filters: Filters) => ["photos", "facets", filtersToSearch(filters)] as const,
  map: (filters: Filters) => ["photos", "map", filtersToSearch(filters)] as const,
  detail: (id: number) => ["photos", "detail", id] as const,
};

/** The timeline in pages, newest first, for these filters (starting at month `at`). */
export function useTimeline(filters: Filters, at?: string) {
  const effective = filtersFrom(filters, at);
  const query = useInfiniteQuery({
    queryKey: photoKeys.timeline(effective),
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET("/api/timeline", {
          params: { query: { ...effective, cursor: pageParam || undefined, limit: TIMELINE_PAGE_SIZE } },
        }),
      ),
    initialPageParam: "",
    getNextPageParam: (last) => last.next_cursor || undefined,
    staleTime: 60_000,
  });
  const items = useMemo<TimelineItem[]>(() => query.data?.pages.flatMap((page) => page.results) ?? [], [query.data]);
  return { ...query, items };
}

export function usePhotoDetail(id: number) {
  return useQuery({
    queryKey: photoKeys.detail(id),
    queryFn: async (): Promise<PhotoDetail> =>
      unwrap(await api.GET("/api/photos/{photo_id}", { params: { path: { photo_id: id } } })),
    enabled: Number.isFinite(id),
  });
}

/** After a change to photos: everything listing or describing them is refetched. */
export function useInvalidatePhotos() {
  const queryClient = useQueryClient();
  return useCallback(() => queryClient.invalidateQueries({ queryKey: photoKeys.all }), [queryClient]);
}
