import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it } from "vitest";
import type { JobSummary } from "../api/types";
import { jobsSummaryQueryKey } from "../shared/jobsSummary";
import { photoKeys } from "../shared/photos";
import { fakeApi, JOB_SUMMARY, json } from "../test/fakeApi";
import { LIVE_REFRESH_MAX_PAGES, useRefreshAsPhotosArrive } from "./queries";

const processed = (count: number): JobSummary => ({ ...JOB_SUMMARY, photos: { ...JOB_SUMMARY.photos, processed: count } });

function setup(initial: { pages: number; paused: boolean }) {
  const server = { processed: 10 };
  fakeApi({ "GET /api/jobs/summary": () => json(processed(server.processed)) });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  for (const kind of ["timeline", "months", "facets", "map"] as const) {
    client.setQueryData([...photoKeys.all, kind, ""], { cached: kind });
  }
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
  const hook = renderHook((props: { pages: number; paused: boolean }) => useRefreshAsPhotosArrive(props.pages, props.paused), {
    wrapper,
    initialProps: initial,
  });
  const invalidated = (kind: string) => client.getQueryState([...photoKeys.all, kind, ""])?.isInvalidated ?? false;
  // Query observers notify on a timer: let it run before looking.
  const arrive = (count: number) =>
    act(async () => {
      client.setQueryData(jobsSummaryQueryKey, processed(count));
      await new Promise((resolve) => setTimeout(resolve, 10));
    });
  return { client, hook, invalidated, arrive, server };
}

describe("useRefreshAsPhotosArrive", () => {
  it("fetches the timeline, months and facets again when more photos are processed", async () => {
    const { client, invalidated, arrive } = setup({ pages: 1, paused: false });
    await waitFor(() => expect(client.getQueryData(jobsSummaryQueryKey)).toBeDefined());
    await arrive(10);
    expect(invalidated("timeline")).toBe(false); // the first look only sets the baseline
    await arrive(10);
    expect(invalidated("timeline")).toBe(false);
    await arrive(12);
    expect(invalidated("timeline")).toBe(true);
    expect(invalidated("months")).toBe(true);
    expect(invalidated("facets")).toBe(true);
    expect(invalidated("map")).toBe(false);
  });

  it("waits while the viewer is open, then refreshes", async () => {
    const { client, hook, invalidated, arrive } = setup({ pages: 1, paused: true });
    await waitFor(() => expect(client.getQueryData(jobsSummaryQueryKey)).toBeDefined());
    await arrive(10);
    hook.rerender({ pages: 1, paused: false });
    hook.rerender({ pages: 1, paused: true });
    await arrive(15);
    expect(invalidated("timeline")).toBe(false);
    hook.rerender({ pages: 1, paused: false });
    await waitFor(() => expect(invalidated("timeline")).toBe(true));
  });

  it("catches up on photos that finished while the timeline was not open", async () => {
    const { client, hook, invalidated, arrive, server } = setup({ pages: 1, paused: false });
    await waitFor(() => expect(client.getQueryData(jobsSummaryQueryKey)).toBeDefined());
    await arrive(10);
    hook.unmount(); // the person goes to another page; the header keeps polling
    server.processed = 14;
    client.setQueryData(jobsSummaryQueryKey, processed(14));
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
    renderHook(() => useRefreshAsPhotosArrive(1, false), { wrapper });
    await waitFor(() => expect(invalidated("timeline")).toBe(true));
    expect(invalidated("months")).toBe(true);
  });

  it("leaves a long scrolled timeline alone", async () => {
    const { client, invalidated, arrive } = setup({ pages: LIVE_REFRESH_MAX_PAGES + 1, paused: false });
    await waitFor(() => expect(client.getQueryData(jobsSummaryQueryKey)).toBeDefined());
    await arrive(10);
    await arrive(20);
    expect(invalidated("timeline")).toBe(false);
  });
});
