import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { describe, expect, it } from "vitest";
import { FAMILY_LIBRARIES, albumFixture, fakeApi, json } from "../test/fakeApi";
import { ActionBar } from "./ActionBar";
import type { CurateView } from "./curate";

function renderBar(ids: number[], view: CurateView = "all") {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <ActionBar ids={ids} items={[]} showingHidden={false} view={view} keys onSelectAll={() => {}} onClear={() => {}} />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe("ActionBar", () => {
  it("makes a new album from the selection and links to it", async () => {
    const user = userEvent.setup();
    const bodies: unknown[] = [];
    fakeApi({
      "GET /api/albums": () => json([]),
      "GET /api/libraries": () => json(FAMILY_LIBRARIES),
      "POST /api/albums": async (request) => {
        bodies.push(await request.json());
        return json(albumFixture(9, "Beach"), 201);
      },
    });
    renderBar([5, 6, 7]);
    await user.click(screen.getByRole("button", { name: "Add to album" }));
    const dialog = screen.getByRole("dialog", { name: "Add 3 photos to an album" });
    await user.type(within(dialog).getByLabelText("New album"), "Beach");
    await user.click(within(dialog).getByRole("button", { name: "Create album with these photos" }));
    const status = screen.getByRole("status");
    await waitFor(() => expect(status).toHaveTextContent("Added 3 photos to Beach."));
    expect(within(status).getByRole("link", { name: "Beach" })).toHaveAttribute("href", "/albums/9");
    expect(bodies).toEqual([{ library: 1, name: "Beach", description: "", sort: "taken", photo_ids: [5, 6, 7] }]);
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("creates a public link to the selected photos", async () => {
    const user = userEvent.setup();
    const bodies: unknown[] = [];
    fakeApi({
      "POST /api/shares": async (request) => {
        bodies.push(await request.json());
        return json({ id: 4, url: `/s/${"y".repeat(43)}`, token: "y".repeat(43) }, 201);
      },
    });
    renderBar([5, 6]);
    await user.click(screen.getByRole("button", { name: "Share" }));
    const dialog = screen.getByRole("dialog", { name: "Share link for 2 photos" });
    await user.type(within(dialog).getByLabelText("Label (optional)"), "Beach day");
    await user.click(within(dialog).getByRole("button", { name: "Create link" }));
    const created = await screen.findByRole("dialog", { name: "Link created" });
    expect(within(created).getByTestId("share-url")).toHaveValue(`${window.location.origin}/s/${"y".repeat(43)}`);
    expect(bodies).toEqual([
      {
        photo_ids: [5, 6],
        label: "Beach day",
        expires_at: null,
        password: null,
        allow_download: false,
        show_metadata: true,
        show_location: false,
        strip_metadata: false,
      },
    ]);
  });

  it("favourites, archives and trashes the selection from the keyboard", async () => {
    const user = userEvent.setup();
    const bodies: unknown[] = [];
    fakeApi({
      "POST /api/photos/bulk": async (request) => {
        bodies.push(await request.json());
        return json({ updated: 2 });
      },
    });
    renderBar([5, 6]);
    await user.keyboard("h");
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("Added 2 photos to the favourites."));
    await user.keyboard("a");
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("Archived 2 photos."));
    await user.keyboard("{Delete}");
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("Moved 2 photos to the trash."));
    expect(bodies).toEqual([
      { ids: [5, 6], action: "favourite" },
      { ids: [5, 6], action: "archive" },
      { ids: [5, 6], action: "trash" },
    ]);
  });

  it("says which photos of the trash could not be restored, and why", async () => {
    const user = userEvent.setup();
    fakeApi({
      "POST /api/trash/restore": () => json({ restored: [5], missing: [{ id: 6, path: "/photos/gone.jpg" }] }),
    });
    renderBar([5, 6], "trash");
    await user.click(screen.getByRole("button", { name: "Restore" }));
    await waitFor(() =>
      expect(screen.getByRole("status")).toHaveTextContent(
        "Restored 1 photo. 1 photo stayed in the trash: the original file is gone from disk (/photos/gone.jpg).",
      ),
    );
  });
});
