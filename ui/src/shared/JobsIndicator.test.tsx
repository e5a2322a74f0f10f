import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { fakeApi, HEALTHY, IDLE_SUMMARY, JOB_SUMMARY, json, SIGNED_IN_SESSION } from "../test/fakeApi";
import { renderApp } from "../test/render";

describe("JobsIndicator", () => {
  it("says how many jobs are in progress and links to the jobs page", async () => {
    fakeApi({
      "GET /api/auth/session": () => json(SIGNED_IN_SESSION),
      "GET /api/health": () => json(HEALTHY),
      "GET /api/jobs/summary": () => json({ ...JOB_SUMMARY, active: 1 }),
    });
    renderApp("/");
    const link = await screen.findByRole("link", { name: "Processing 1 job" });
    expect(link).toHaveAttribute("href", "/jobs");
    expect(link).toHaveTextContent("Processing · 1 job");
  });

  it("stays out of the way when idle or when the summary fails", async () => {
    fakeApi({
      "GET /api/auth/session": () => json(SIGNED_IN_SESSION),
      "GET /api/health": () => json(HEALTHY),
      "GET /api/jobs/summary": () => json(IDLE_SUMMARY),
    });
    renderApp("/");
    await screen.findByTestId("current-user");
    expect(screen.queryByTestId("jobs-indicator")).not.toBeInTheDocument();

    fakeApi({
      "GET /api/auth/session": () => json(SIGNED_IN_SESSION),
      "GET /api/health": () => json(HEALTHY),
      "GET /api/jobs/summary": () => json({ detail: "broker down" }, 500),
    });
    renderApp("/");
    await screen.findAllByTestId("current-user");
    expect(screen.queryByTestId("jobs-indicator")).not.toBeInTheDocument();
  });
});
