import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { JobSummary, QueueName } from "../api/types";
import { jobsQueryKey, jobsSummaryQueryKey } from "../shared/jobsSummary";
import { failuresPage, type FailuresPage, withoutJob, withQueuePaused } from "./logic";

/** The jobs page is live: it asks again every 2 s while the tab is visible. */
export const LIVE_INTERVAL_MS = 2_000;

export const failuresQueryKey = [...jobsQueryKey, "failures"] as const;

export async function fetchFailures(): Promise<FailuresPage> {
  return failuresPage(unwrap(await api.GET("/api/jobs", { params: { query: { state: "failed" } } })));
}

export function useFailures(enabled: boolean) {
  return useQuery({
    queryKey: failuresQueryKey,
    queryFn: fetchFailures,
    enabled,
    refetchInterval: LIVE_INTERVAL_MS,
    refetchIntervalInBackground: false,
  });
}

/** An action that changes the pipeline: afterwards, the summary and the failures are read again. */
function useJobsMutation<Variables, Result>(
  mutationFn: (variables: Variables) => Promise<Result>,
  onSuccess?: (result: Result, variables: Variables) => void,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess,
    onSettled: () => queryClient.invalidateQueries({ queryKey: jobsQueryKey }),
  });
}

/** Pause or resume a queue; the summary shows the new state at once. */
export function useSetQueuePaused() {
  const queryClient = useQueryClient();
  return useJobsMutation(
    async ({ queue, paused }: { queue: QueueName; paused: boolean }) =>
      unwrap(await api.POST("/api/pipeline/queues", { body: { queue, paused } })),
    (result) =>
      queryClient.setQueryData<JobSummary>(
        jobsSummaryQueryKey,
        (summary) => summary && withQueuePaused(summary, result.queue, result.paused),
      ),
  );
}

export function useJobActions() {
  const queryClient = useQueryClient();
  const dropFailure = (id: number) =>
    queryClient.setQueryData<FailuresPage>(failuresQueryKey, (page) => page && withoutJob(page, id));

  return {
    /** Every photo's missing work, or (with a stage) only that stage's. */
    processMissing: useJobsMutation(async (stage?: string) =>
      unwrap(await api.POST("/api/pipeline/process-missing", { body: stage ? { stage } : {} })),
    ),
    reprocessAll: useJobsMutation(async () =>
      unwrap(await api.POST("/api/pipeline/reprocess", { body: {} })),
    ),
    retry: useJobsMutation(
      async (id: number) =>
        unwrap(await api.POST("/api/jobs/{job_id}/retry", { params: { path: { job_id: id } } })),
      (_result, id) => dropFailure(id),
    ),
    dismiss: useJobsMutation(
      async (id: number) => unwrap(await api.POST("/api/jobs/dismiss", { body: { ids: [id] } })),
      (_result, id) => dropFailure(id),
    ),
    retryAll: useJobsMutation(async () =>
      unwrap(await api.POST("/api/jobs/retry-failed", { body: {} })),
    ),
    dismissAll: useJobsMutation(async () => unwrap(await api.POST("/api/jobs/dismiss", { body: {} }))),
  };
}

export type JobActions = ReturnType<typeof useJobActions>;
