// The server's user accounts as several features need them: the Users page, and the member
// suggestions in Settings (administrators only may list them).
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { paths } from "../api/schema";

type JsonOf<Response> = Response extends { content: { "application/json": infer Body } } ? Body : never;

export type ManagedUser = JsonOf<paths["/api/users"]["get"]["responses"][200]>[number];

export const userKeys = { list: ["users", "list"] as const };

export function useUsers(enabled = true) {
  return useQuery({
    queryKey: userKeys.list,
    queryFn: async (): Promise<ManagedUser[]> => unwrap(await api.GET("/api/users")),
    enabled,
  });
}
