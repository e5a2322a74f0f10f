import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { FAMILY_LIBRARIES, albumFixture, fakeApi, json } from "../test/fakeApi";
import { AddToAlbumDialog } from "./AddToAlbumDialog";
import type { Album } from "../api/types";

const album = (id: number, name: string, my_role: Album["my_role"]): Album => albumFixture(id, name, { my_role, photo_count: 4 });

function renderDialog(onDone = vi.fn(), onClose = vi.fn()) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <AddToAlbumDialog photoIds={[5, 6]} onDone={onDone} onClose={onClose} />
    </QueryClientProvider>,
  );
  return { onDone, onClose };
}


describe("AddToAlbumDialog", () => {
  it("adds the selection to an album the person may edit", async () => {
    const user = userEvent.setup();
    const bodies: unknown[] = [];
    fakeApi({
      "GET /api/albums": () => json([album(1, "Paris", "owner"), album(2, "Read only", "viewer")]),
      "GET /api/libraries": () => json(FAMILY_LIBRARIES),
      "POST /api/albums/1/photos": async (request) => {
        bodies.push(await request.json());
        return json({ added: 2, ignored: 0 });
      },
    });
    const { onDone, onClose } = renderDialog();
    expect(await screen.findByRole("button", { name: /Paris/ })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Read only/ })).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: /Paris/ }));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith({ album: { id: 1, name: "Paris" }, added: 2, ignored: 0 }));
    expect(bodies).toEqual([{ ids: [5, 6] }]);
    expect(onClose).toHaveBeenCalled();
  });

  it("makes a new album from the selection", async () => {
    const user = userEvent.setup();
    const bodies: unknown[] = [];
    fakeApi({
      "GET /api/albums": () => json([]),
      "GET /api/libraries": () => json(FAMILY_LIBRARIES),
      "POST /api/albums": async (request) => {
        bodies.push(await request.json());
        return json({ ...album(9, "Beach", "owner"), photo_count: 2 }, 201);
      },
    });
    const { onDone } = renderDialog();
    expect(await screen.findByText("You have no album to add to yet.")).toBeInTheDocument();
    await user.type(screen.getByLabelText("New album"), "Beach");
    await user.click(screen.getByRole("button", { name: "Create album with these photos" }));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith({ album: { id: 9, name: "Beach" }, added: 2, ignored: 0 }));
    expect(bodies).toEqual([{ library: 1, name: "Beach", description: "", sort: "taken", photo_ids: [5, 6] }]);
  });
});
