import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { ApiToken, ApiTokenCreated, ManagedUser, UserCreateBody, UserPatchBody } from "../api/types";
import { userKeys } from "../shared/users";

export { userKeys, useUsers } from "../shared/users";

export const tokenKeys = { list: ["tokens", "list"] as const };

export function useUserActions() {
  const queryClient = useQueryClient();
  const replace = (user: ManagedUser) =>
    queryClient.setQueryData<ManagedUser[]>(userKeys.list, (users) => users?.map((u) => (u.id === user.id ? user : u)));

  const create = useMutation({
    mutationFn: async (body: UserCreateBody) => unwrap(await api.POST("/api/users", { body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: userKeys.list }),
  });
  const update = useMutation({
    mutationFn: async ({ id, body }: { id: number; body: UserPatchBody }) =>
      unwrap(await api.PATCH("/api/users/{user_id}", { params: { path: { user_id: id } }, body })),
    onSuccess: replace,
  });
  const setPassword = useMutation({
    mutationFn: async ({ id, password }: { id: number; password: string }) =>
      unwrap(await api.POST("/api/users/{user_id}/password", { params: { path: { user_id: id } }, body: { password } })),
  });
  return { create, update, setPassword };
}

export function useChangePassword() {
  return useMutation({
    mutationFn: async (body: { old_password: string; new_password: string }) =>
      unwrap(await api.POST("/api/auth/password", { body })),
  });
}

export function useTokens() {
  return useQuery({
    queryKey: tokenKeys.list,
    queryFn: async (): Promise<ApiToken[]> => unwrap(await api.GET("/api/tokens")),
  });
}

export function useTokenActions() {
  const queryClient = useQueryClient();
  const invalidate = () => void queryClient.invalidateQueries({ queryKey: tokenKeys.list });
  const create = useMutation({
    mutationFn: async (name: string): Promise<ApiTokenCreated> =>
      unwrap(await api.POST("/api/tokens", { body: { name } })),
    // Only the listing (without the secret) goes into the cache.
    onSuccess: invalidate,
  });
  const revoke = useMutation({
    mutationFn: async (id: number) =>
      unwrap(await api.DELETE("/api/tokens/{token_id}", { params: { path: { token_id: id } } })),
    onSuccess: invalidate,
  });
  return { create, revoke };
}
