import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { DuplicateGroups, Stack } from "../api/types";
import { photoKeys } from "../shared/photos";

export const duplicateKeys = {
  groups: ["duplicates"] as const,
  stack: (id: number) => ["stacks", id] as const,
};

/** The groups of near-duplicates and bursts to review, newest first, each ranked best first. */
export function useDuplicateGroups() {
  return useQuery({
    queryKey: duplicateKeys.groups,
    queryFn: async (): Promise<DuplicateGroups> => unwrap(await api.GET("/api/duplicates")),
  });
}

export function useStack(id: number) {
  return useQuery({
    queryKey: duplicateKeys.stack(id),
    queryFn: async (): Promise<Stack> =>
      unwrap(await api.GET("/api/stacks/{cover_id}", { params: { path: { cover_id: id } } })),
    retry: false,
  });
}

/** After a stack is made or undone: the groups, the stacks and every photo list are read again. */
function useStackMutation<Variables, Result>(mutationFn: (variables: Variables) => Promise<Result>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSettled: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: duplicateKeys.groups }),
        queryClient.invalidateQueries({ queryKey: ["stacks"] }),
        queryClient.invalidateQueries({ queryKey: photoKeys.all }),
      ]);
    },
  });
}

/** Keep `cover`, stack the other `photos` under it. */
export function useStackCreate() {
  return useStackMutation(async ({ photos, cover }: { photos: number[]; cover: number }) =>
    unwrap(await api.POST("/api/stacks", { body: { photos, cover } })),
  );
}

export function useUnstack() {
  return useStackMutation(async (coverId: number) =>
    unwrap(await api.DELETE("/api/stacks/{cover_id}", { params: { path: { cover_id: coverId } } })),
  );
}
