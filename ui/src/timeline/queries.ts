import { useMutation, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { BulkRequest, Facets, MonthCount, Suggestion } from "../api/types";
import type { Filters } from "../shared/filters";
import { photoKeys, useInvalidatePhotos } from "../shared/photos";

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

export function useBulkAction() {
  const invalidate = useInvalidatePhotos();
  return useMutation({
    mutationFn: async (body: BulkRequest) => unwrap(await api.POST("/api/photos/bulk", { body })),
    onSuccess: () => void invalidate(),
  });
}
