import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { JobSummary } from "../api/types";

/** Everything under "jobs" is invalidated together after an action on the jobs page. */
export const jobsQueryKey = ["jobs"] as const;
export const jobsSummaryQueryKey = [...jobsQueryKey, "summary"] as const;

export async function fetchJobsSummary(): Promise<JobSummary> {
  return unwrap(await api.GET("/api/jobs/summary"));
}

/**
 * The pipeline's summary. Any signed-in person may read it: administrators get the whole
 * installation with Flower's URL, anyone else their own libraries and an empty `flower_url`.
 * `refetchInterval` may depend on the last answer; polling stops while the tab is hidden
 * (TanStack Query's default, made explicit).
 */
export function useJobsSummary(refetchInterval: number | ((summary: JobSummary | undefined) => number)) {
  return useQuery({
    queryKey: jobsSummaryQueryKey,
    queryFn: fetchJobsSummary,
    refetchInterval:
      typeof refetchInterval === "number" ? refetchInterval : (query) => refetchInterval(query.state.data),
    refetchIntervalInBackground: false,
  });
}


export const INDICATOR_ACTIVE_INTERVAL_MS = 5_000;
export const INDICATOR_IDLE_INTERVAL_MS = 30_000;

/** The header polls often while work is in progress and rarely while idle. */
export function indicatorInterval(summary: JobSummary | undefined): number {
  return summary && summary.active > 0 ? INDICATOR_ACTIVE_INTERVAL_MS : INDICATOR_IDLE_INTERVAL_MS;
}
