import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { ApiError } from "../api/errors";
import type { SemanticResults, SmartSearchStatus } from "../api/types";

export const smartSearchKeys = {
  status: ["smart-search"] as const,
  semantic: (q: string) => ["smart-search", "semantic", q] as const,
  similar: (id: number) => ["smart-search", "similar", id] as const,
};

/** What smart search answers, or why it cannot (503: off, or no vector index). */
export type SmartAnswer = { ok: true; data: SemanticResults } | { ok: false; reason: string };

async function answer(call: () => Promise<{ data?: SemanticResults; error?: unknown; response: Response }>): Promise<SmartAnswer> {
  try {
    return { ok: true, data: unwrap(await call()) };
  } catch (error) {
    if (error instanceof ApiError && error.status === 503) {
      const body = error.body as { detail?: string } | undefined;
      return { ok: false, reason: body?.detail ?? "Smart search is unavailable." };
    }
    throw error;
  }
}

/** Smart search's state; null when this server has no smart search (404). */
export function useSmartSearchStatus() {
  return useQuery({
    queryKey: smartSearchKeys.status,
    queryFn: async (): Promise<SmartSearchStatus | null> => {
      try {
        return unwrap(await api.GET("/api/smart-search"));
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
}

export function useEnableSmartSearch() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.POST("/api/smart-search")),
    onSuccess: (data) => queryClient.setQueryData(smartSearchKeys.status, data),
  });
}

export function useSemanticSearch(q: string) {
  return useQuery({
    queryKey: smartSearchKeys.semantic(q),
    enabled: q.trim() !== "",
    staleTime: 60_000,
    queryFn: () => answer(() => api.GET("/api/search/semantic", { params: { query: { q, limit: 24 } } })),
  });
}

export function useSimilarPhotos(id: number) {
  return useQuery({
    queryKey: smartSearchKeys.similar(id),
    queryFn: () =>
      answer(() => api.GET("/api/photos/{photo_id}/similar", { params: { path: { photo_id: id }, query: { limit: 60 } } })),
  });
}
