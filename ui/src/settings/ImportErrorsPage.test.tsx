import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { ImportError, Library } from "../api/types";
import { fakeApi, HEALTHY, json, SIGNED_IN_SESSION } from "../test/fakeApi";
import { renderApp } from "../test/render";

const LIBRARY: Library = { id: 4, name: "Family", created_at: "", folders: [], photo_count: 9, error_count: 2, role: "owner", upload_folder: "", delete_originals: false, write_originals: false };

const file = (id: number, path: string, state: "failed" | "unsupported", error: string): ImportError => ({
  id,
  path,
  kind: "photo",
  state,
  size: 10,
  file_type: "",
  mime_type: "",
  width: null,
  height: null,
  error,
  warnings: [],
  raw_method: "",
  preferred: false,
});

describe("ImportErrorsPage", () => {
  it("is where the Settings count leads: each file with its path and reason", async () => {
    const seen = fakeApi({
      "GET /api/auth/session": () => json(SIGNED_IN_SESSION),
      "GET /api/health": () => json(HEALTHY),
      "GET /api/libraries": () => json([LIBRARY]),
      "GET /api/libraries/4/classifiers": () => json({ classifiers: [] }),
      "GET /api/libraries/4/members": () => json([]),
      "GET /api/libraries/4/errors": () =>
        json({
          count: 2,
          next: null,
          previous: null,
          results: [
            file(7, "/photos/family/2019/broken.jpg", "failed", "cannot identify image file"),
            file(8, "/photos/family/clip.mov", "unsupported", "Videos are not imported."),
          ],
        }),
    });
    renderApp("/settings");
    await userEvent.setup().click(await screen.findByRole("link", { name: "2 could not be imported" }));
    expect(await screen.findByRole("heading", { name: "Files that could not be imported · Family" })).toBeInTheDocument();
    const broken = await screen.findByTestId("import-error-7");
    expect(within(broken).getByText("broken.jpg")).toBeInTheDocument();
    expect(within(broken).getByText("/photos/family/2019/")).toBeInTheDocument();
    expect(within(broken).getByText("cannot identify image file")).toBeInTheDocument();
    expect(within(screen.getByTestId("import-error-8")).getByText("Not supported")).toBeInTheDocument();
    expect(screen.getByTestId("location")).toHaveTextContent("/settings/libraries/4/errors");
    expect(seen.some((r) => r.url.includes("/api/libraries/4/errors?page_size=500"))).toBe(true);
  });
});
