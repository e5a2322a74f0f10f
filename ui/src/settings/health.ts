import { useQuery } from "@tanstack/react-query";
import { api } from "../api/client";
import { ApiError } from "../api/errors";
import type { Health } from "../api/types";

export const healthQueryKey = ["health"] as const;

/** The health report; a 503 still carries one (status "degraded"), so it is data, not an error. */
export async function fetchHealth(): Promise<Health> {
  const { data, error, response } = await api.GET("/api/health");
  if (data) return data;
  if (response.status === 503 && isHealth(error)) return error;
  throw new ApiError(response.status, error);
}

function isHealth(value: unknown): value is Health {
  return (
    typeof value === "object" &&
    value !== null &&
    "status" in value &&
    "components" in value &&
    typeof value.components === "object"
  );
}

export function useHealth() {
  return useQuery({ queryKey: healthQueryKey, queryFn: fetchHealth, staleTime: 10_000 });
}
