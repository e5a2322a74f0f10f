// The server's user accounts as several features need them: the Users page, and the member
// suggestions in Settings (administrators only may list them).
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { ManagedUser } from "../api/types";

export const userKeys = { list: ["users", "list"] as const };

export function useUsers(enabled = true) {
  return useQuery({
    queryKey: userKeys.list,
    queryFn: async (): Promise<ManagedUser[]> => unwrap(await api.GET("/api/users")),
    enabled,
  });
}
