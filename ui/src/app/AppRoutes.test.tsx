import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { fakeApi, HEALTHY, IDLE_SUMMARY, json, SIGNED_IN_SESSION } from "../test/fakeApi";
import { renderApp } from "../test/render";

// Every signed-in page renders inside the one app shell: a single header with the navigation and
// a single main landmark holding the page.
const PAGES: [path: string, heading: string][] = [
  ["/", "Photos"],
  ["/albums", "Albums"],
  ["/shares", "Shared links"],
  ["/people", "People"],
  ["/settings", "Settings"],
  ["/jobs", "Jobs"],
  ["/users", "Users"],
  ["/account", "Account"],
];

describe("the signed-in pages", () => {
  it.each(PAGES)("%s has one header, one navigation and one main", async (path, heading) => {
    fakeApi({
      "GET /api/auth/session": () => json(SIGNED_IN_SESSION),
      "GET /api/health": () => json(HEALTHY),
      "GET /api/jobs/summary": () => json(IDLE_SUMMARY),
    });
    renderApp(path);
    const title = await screen.findByRole("heading", { level: 1, name: heading });
    expect(screen.getByRole("main")).toContainElement(title);
    expect(screen.getAllByRole("banner")).toHaveLength(1);
    expect(screen.getAllByRole("navigation", { name: "Main" })).toHaveLength(1);
    expect(screen.getAllByRole("main")).toHaveLength(1);
  });
});
