import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { JobSummary } from "../api/types";
import {
  FAILED_JOB,
  fakeApi,
  JOB_SUMMARY,
  jobsPage,
  json,
  MEMBER_SESSION,
  SIGNED_IN_SESSION,
} from "../test/fakeApi";
import { renderApp } from "../test/render";

async function bodyOf(request: Request | undefined): Promise<unknown> {
  return request ? ((await request.json()) as unknown) : undefined;
}

function adminApi(overrides: Parameters<typeof fakeApi>[0] = {}) {
  let failures = [FAILED_JOB];
  let summary: JobSummary = JOB_SUMMARY;
  return fakeApi({
    "GET /api/auth/session": () => json(SIGNED_IN_SESSION),
    "GET /api/jobs/summary": () => json(summary),
    "GET /api/jobs": () => json(jobsPage(failures)),
    "POST /api/jobs/dismiss": () => {
      failures = [];
      return json({ dismissed: 1 });
    },
    "POST /api/pipeline/queues": async (request) => {
      const { queue, paused } = (await request.clone().json()) as { queue: string; paused: boolean };
      summary = {
        ...summary,
        queues: summary.queues.map((q) => (q.name === queue ? { ...q, paused } : q)),
        stages: summary.stages.map((s) => (s.queue === queue ? { ...s, paused } : s)),
      };
      return json({ queue, paused });
    },
    "POST /api/pipeline/reprocess": () => json({ dispatched: 12 }),
    ...overrides,
  });
}

describe("JobsPage", () => {
  it("shows each stage with its counts, the queues and the failures", async () => {
    adminApi();
    renderApp("/jobs");
    const thumbnails = await screen.findByRole("region", { name: "Thumbnails" });
    expect(within(thumbnails).getByTestId("count-succeeded")).toHaveTextContent("Done1,234");
    expect(within(thumbnails).getByTestId("count-failed")).toHaveTextContent("Failed1");
    expect(within(thumbnails).getByText("media")).toBeInTheDocument();
    expect(screen.getByRole("region", { name: "Classify · objects" })).toBeInTheDocument();
    expect(screen.getByTestId("photos-processed")).toHaveTextContent("1,234");
    // A library whose faces are still to be grouped into people is work in progress too.
    expect(screen.getByTestId("stat-people-pending")).toHaveTextContent("Libraries grouping people1");
    expect(within(screen.getByTestId("queue-classify")).getByText("2")).toBeInTheDocument();

    const failure = await screen.findByTestId("failure-7");
    // The photo by its file's name and thumbnail, a link to it.
    const photo = within(failure).getByRole("link", { name: "IMG_0042.jpg" });
    expect(photo).toHaveAttribute("href", "/photos/42");
    expect(within(photo).getByTestId("failure-thumb")).toHaveAttribute("src", "/api/photos/42/thumbnail/grid?v=2");
    expect(within(failure).getByText("Thumbnails")).toBeInTheDocument();
    expect(within(failure).getByRole("time")).toHaveAttribute("datetime", "2024-05-01T10:00:02Z");
    expect(within(failure).getByText("UnidentifiedImageError: cannot identify image file")).toBeInTheDocument();

    const flower = screen.getByRole("link", { name: /Open Flower/ });
    expect(flower).toHaveAttribute("href", "http://127.0.0.1:5555/");
    expect(flower).toHaveAttribute("target", "_blank");
    // Admins reach the page from the header; the indicator says how much is going on.
    expect(screen.getByRole("navigation", { name: "Main" })).toHaveTextContent("Jobs");
    expect(screen.getByRole("link", { name: "Processing 3 jobs" })).toHaveAttribute("href", "/jobs");
  });

  it("shows a type icon for a photo without a thumbnail, and a dash for a job of no photo", async () => {
    const raw = { ...FAILED_JOB, file_name: "DSC_0001.NEF", file_kind: "raw" as const, thumbnail_version: 0 };
    const housekeeping = {
      ...FAILED_JOB,
      id: 8,
      task_id: "beef",
      stage: "other",
      photo: null,
      file_name: null,
      file_kind: null,
      thumbnail_version: null,
    };
    adminApi({ "GET /api/jobs": () => json(jobsPage([raw, housekeeping])) });
    renderApp("/jobs");
    const failure = await screen.findByTestId("failure-7");
    const photo = within(failure).getByRole("link", { name: "DSC_0001.NEF" });
    expect(photo).toHaveAttribute("href", "/photos/42");
    expect(within(photo).queryByTestId("failure-thumb")).not.toBeInTheDocument();
    expect(within(photo).getByTestId("failure-type")).toHaveTextContent("NEF");
    const other = screen.getByTestId("failure-8");
    expect(within(other).queryByRole("link")).not.toBeInTheDocument();
    expect(within(other).getAllByRole("cell")[0]).toHaveTextContent("—");
  });

  it("expands the traceback and dismisses a failure", async () => {
    const seen = adminApi();
    renderApp("/jobs");
    const user = userEvent.setup();
    const failure = await screen.findByTestId("failure-7");
    const toggle = within(failure).getByRole("button", { name: "Show traceback" });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    expect(within(failure).getByText(/Traceback \(most recent call last\)/)).not.toBeVisible();
    await user.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    expect(within(failure).getByText(/Traceback \(most recent call last\)/)).toBeVisible();

    await user.click(within(failure).getByRole("button", { name: "Dismiss job 7" }));
    await waitFor(() => expect(screen.queryByTestId("failure-7")).not.toBeInTheDocument());
    expect(screen.getByText("Dismissed the failure of job 7.")).toBeInTheDocument();
    expect(screen.getByText("No failures to look at.")).toBeInTheDocument();
    expect(await bodyOf(seen.find((r) => r.url.endsWith("/api/jobs/dismiss")))).toEqual({ ids: [7] });
  });

  it("pauses and resumes a queue", async () => {
    const seen = adminApi();
    renderApp("/jobs");
    const user = userEvent.setup();
    const thumbnails = await screen.findByRole("region", { name: "Thumbnails" });
    await user.click(within(thumbnails).getByRole("button", { name: "Pause the media queue" }));
    await within(thumbnails).findByText("Paused");
    expect(within(screen.getByTestId("queue-media")).getByText("Paused")).toBeInTheDocument();
    const resume = within(thumbnails).getByRole("button", { name: "Resume the media queue" });
    await user.click(resume);
    await waitFor(() => expect(within(thumbnails).queryByText("Paused")).not.toBeInTheDocument());

    const posts = seen.filter((r) => r.url.endsWith("/api/pipeline/queues"));
    expect(await bodyOf(posts[0])).toEqual({ queue: "media", paused: true });
    expect(await bodyOf(posts[1])).toEqual({ queue: "media", paused: false });
  });

  it("asks before reprocessing everything", async () => {
    const seen = adminApi();
    renderApp("/jobs");
    const user = userEvent.setup();
    const reprocessed = () => seen.filter((r) => r.url.endsWith("/api/pipeline/reprocess"));

    await user.click(await screen.findByRole("button", { name: "Reprocess all…" }));
    let dialog = screen.getByRole("dialog", { name: "Reprocess every photo?" });
    expect(within(dialog).getByRole("button", { name: "Cancel" })).toHaveFocus();
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(reprocessed()).toHaveLength(0);

    await user.click(screen.getByRole("button", { name: "Reprocess all…" }));
    dialog = screen.getByRole("dialog", { name: "Reprocess every photo?" });
    await user.click(within(dialog).getByRole("button", { name: "Reprocess all" }));
    expect(await screen.findByText("Sent 12 photos to be processed again.")).toBeInTheDocument();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(reprocessed()).toHaveLength(1);
  });

  it("processes what is missing for one stage from its card", async () => {
    const seen = adminApi({
      "POST /api/pipeline/process-missing": async (request) => {
        const body = (await request.clone().json()) as { stage?: string };
        return json({ dispatched: body.stage === "thumbnails" ? 0 : 5 });
      },
    });
    renderApp("/jobs");
    const user = userEvent.setup();
    const sentBodies = () =>
      Promise.all(seen.filter((r) => r.url.endsWith("/api/pipeline/process-missing")).map(bodyOf));

    const objects = await screen.findByRole("region", { name: "Classify · objects" });
    await user.click(within(objects).getByRole("button", { name: "Process missing: Classify · objects" }));
    expect(await screen.findByText("Sent 5 photos for processing (Classify · objects).")).toBeInTheDocument();

    const thumbnails = screen.getByRole("region", { name: "Thumbnails" });
    await user.click(within(thumbnails).getByRole("button", { name: "Process missing: Thumbnails" }));
    expect(await screen.findByText("Nothing is missing for Thumbnails.")).toBeInTheDocument();

    // The page-wide button still asks for every stage.
    await user.click(screen.getByRole("button", { name: "Process missing" }));
    expect(await screen.findByText("Sent 5 photos for processing.")).toBeInTheDocument();
    expect(await sentBodies()).toEqual([{ stage: "classify:objects" }, { stage: "thumbnails" }, {}]);
  });

  it("offers no per-stage 'process missing' where it means nothing", async () => {
    adminApi({
      "GET /api/jobs/summary": () =>
        json({
          ...JOB_SUMMARY,
          stages: [
            ...JOB_SUMMARY.stages,
            { ...JOB_SUMMARY.stages[1]!, stage: "import", queue: "import" },
            { ...JOB_SUMMARY.stages[1]!, stage: "finish", queue: "classify" },
          ],
        }),
    });
    renderApp("/jobs");
    const imports = await screen.findByRole("region", { name: "Import" });
    expect(within(imports).queryByRole("button", { name: /Process missing/ })).not.toBeInTheDocument();
    const finish = screen.getByRole("region", { name: "Finish" });
    expect(within(finish).queryByRole("button", { name: /Process missing/ })).not.toBeInTheDocument();
    expect(within(finish).getByRole("button", { name: "Pause the classify queue" })).toBeInTheDocument();
  });

  it("reports a failed action without losing the page", async () => {
    adminApi({ "POST /api/pipeline/process-missing": () => json({ detail: "Broker down." }, 503) });
    renderApp("/jobs");
    await userEvent.setup().click(await screen.findByRole("button", { name: "Process missing" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(/Could not process missing photos/);
    expect(screen.getByRole("region", { name: "Thumbnails" })).toBeInTheDocument();
  });

  it("shows a member the summary only, without asking for the admin lists", async () => {
    const seen = fakeApi({
      "GET /api/auth/session": () => json(MEMBER_SESSION),
      "GET /api/jobs/summary": () => json(JOB_SUMMARY),
    });
    renderApp("/jobs");
    expect(await screen.findByRole("region", { name: "Thumbnails" })).toBeInTheDocument();
    expect(screen.getByTestId("failures-admin-only")).toHaveTextContent(/Only administrators/);
    expect(screen.queryByRole("button", { name: /Pause/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Process missing" })).not.toBeInTheDocument();
    expect(screen.queryByRole("link", { name: /Open Flower/ })).not.toBeInTheDocument();
    // Members see the other pages, not the jobs link.
    expect(screen.getByRole("navigation", { name: "Main" })).not.toHaveTextContent("Jobs");
    expect(seen.some((r) => new URL(r.url).pathname === "/api/jobs")).toBe(false);
  });

  it("treats a 403 from the lists as 'administrators only', not as an error", async () => {
    adminApi({ "GET /api/jobs": () => json({ detail: "You do not have permission." }, 403) });
    renderApp("/jobs");
    expect(await screen.findByTestId("failures-admin-only")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Reprocess all…" })).not.toBeInTheDocument();
  });
});
