import { type QueryClient, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { api, unwrap } from "../api/client";
import type { BulkRequest, Facets, MonthCount, SearchExplanation, Suggestion } from "../api/types";
import type { Filters } from "../shared/filters";
import { indicatorInterval, useJobsSummary } from "../shared/jobsSummary";
import { photoKeys, useInvalidatePhotos } from "../shared/photos";

/** Past this many loaded timeline pages, arriving photos wait for the next visit (or a reload). */
export const LIVE_REFRESH_MAX_PAGES = 5;

/**
 * Photos appear as they are imported: when the pipeline has finished more photos than at the last
 * look (the header's jobs summary, already polled), the timeline, months and facets are fetched
 * again. Not while `paused` (the viewer is open) nor once many pages are loaded, where refetching
 * every page would cost more than the news is worth.
 *
 * The count last seen is kept per query client, not per mount: photos that finish while the person
 * is on another page (the header keeps polling) are news when the timeline is opened again, whose
 * cached pages predate them.
 */
const seenProcessed = new WeakMap<QueryClient, number>();

export function useRefreshAsPhotosArrive(loadedPages: number, paused: boolean) {
  const queryClient = useQueryClient();
  const processed = useJobsSummary(indicatorInterval).data?.photos.processed;
  useEffect(() => {
    if (processed === undefined) return;
    if (paused) return; // the news waits until the viewer closes
    const before = seenProcessed.get(queryClient);
    seenProcessed.set(queryClient, processed);
    if (before !== undefined && processed !== before && loadedPages <= LIVE_REFRESH_MAX_PAGES) {
      for (const kind of ["timeline", "months", "facets"] as const) {
        void queryClient.invalidateQueries({ queryKey: [...photoKeys.all, kind] });
      }
    }
  }, [processed, paused, loadedPages, queryClient]);
}

export function useMonths(filters: Filters) {
  return useQuery({
    queryKey: photoKeys.months(filters),
    queryFn: async (): Promise<MonthCount[]> => unwrap(await api.GET("/api/timeline/months", { params: { query: filters } })),
    staleTime: 60_000,
  });
}

export function useFacets(filters: Filters, enabled: boolean) {
  return useQuery({
    queryKey: photoKeys.facets(filters),
    queryFn: async (): Promise<Facets> => unwrap(await api.GET("/api/timeline/facets", { params: { query: filters } })),
    staleTime: 60_000,
    enabled,
    placeholderData: (previous) => previous,
  });
}

export function useSuggestions(q: string) {
  const text = q.trim();
  return useQuery({
    queryKey: ["search", "suggest", text],
    queryFn: async (): Promise<Suggestion[]> => unwrap(await api.GET("/api/search/suggest", { params: { query: { q: text } } })),
    enabled: text.length > 0,
    staleTime: 30_000,
    placeholderData: (previous) => previous,
  });
}

/** What each word of the free text matched (for the line under the search box). */
export function useSearchExplanation(q: string | undefined) {
  const text = (q ?? "").trim();
  return useQuery({
    queryKey: ["search", "explain", text],
    queryFn: async (): Promise<SearchExplanation> =>
      unwrap(await api.GET("/api/search", { params: { query: { q: text, limit: 1 } } })),
    enabled: text.length > 0,
    staleTime: 30_000,
  });
}

export function useBulkAction() {
  const invalidate = useInvalidatePhotos();
  return useMutation({
    mutationFn: async (body: BulkRequest) => unwrap(await api.POST("/api/photos/bulk", { body })),
    onSuccess: () => void invalidate(),
  });
}
