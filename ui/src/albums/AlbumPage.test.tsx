import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Album } from "../api/types";
import { IDLE_SUMMARY, SIGNED_IN_SESSION, albumFixture, fakeApi, json, photoItem } from "../test/fakeApi";
import { renderApp } from "../test/render";

const ALBUM: Album = albumFixture(3, "Paris", {
  description: "Spring",
  date_from: "2024-01-03",
  date_to: "2024-01-09",
  cover: { id: 10, thumbnail_version: 1, placeholder: "" },
  created_at: "2024-02-01T00:00:00Z",
  updated_at: "2024-02-01T00:00:00Z",
});

const PHOTOS = [photoItem(10, 3), photoItem(20, 5), photoItem(30, 9)];

function routes(extra: Record<string, (request: Request) => Response | Promise<Response>> = {}) {
  return {
    "GET /api/auth/session": () => json(SIGNED_IN_SESSION),
    "GET /api/jobs/summary": () => json(IDLE_SUMMARY),
    "GET /api/albums/3": () => json(ALBUM),
    "GET /api/albums/3/photos": () => json({ count: 3, next: null, previous: null, results: PHOTOS }),
    ...extra,
  };
}

const ids = () => screen.getAllByTestId("album-photo").map((tile) => Number(tile.dataset.photoId));

describe("AlbumPage", () => {
  it("shows the album with its dates and photos", async () => {
    fakeApi(routes());
    renderApp("/albums/3");
    expect(await screen.findByRole("heading", { name: "Paris", level: 1 })).toBeInTheDocument();
    expect(screen.getByText(/3 photos · Jan 3\s–\s9, 2024/)).toBeInTheDocument();
    await waitFor(() => expect(ids()).toEqual([10, 20, 30]));
    expect(screen.getByLabelText("Order")).toHaveValue("taken");
  });

  it("reorders with the keyboard; the first move of a date-sorted album sends the whole order", async () => {
    const user = userEvent.setup();
    const bodies: unknown[] = [];
    let order = PHOTOS;
    fakeApi(
      routes({
        "GET /api/albums/3/photos": () => json({ count: 3, next: null, previous: null, results: order }),
        "POST /api/albums/3/reorder": async (request) => {
          const body = (await request.json()) as { ids: number[] };
          bodies.push(body);
          order = body.ids.map((id) => PHOTOS.find((item) => item.id === id)!);
          return json({ ...ALBUM, sort: "manual" });
        },
      }),
    );
    renderApp("/albums/3");
    await waitFor(() => expect(ids()).toEqual([10, 20, 30]));

    screen.getAllByTestId("album-photo")[0]!.focus();
    await user.keyboard(" ");
    expect(screen.getByText(/Picked up photo 1 of 3/)).toBeInTheDocument();
    await user.keyboard("{ArrowRight}{ArrowRight}");
    expect(ids()).toEqual([20, 30, 10]);
    await user.keyboard(" ");
    await waitFor(() => expect(bodies).toEqual([{ ids: [20, 30, 10] }]));
    expect(ids()).toEqual([20, 30, 10]);
  });

  it("opens a clicked photo in the viewer, stepping through the album; selecting goes by the checkbox", async () => {
    const user = userEvent.setup();
    fakeApi(
      routes({
        "GET /api/photos/20": () => json({ ...PHOTOS[1], files: [], tags: [], people: [], user_rotation: 0 }),
        "GET /api/photos/30": () => json({ ...PHOTOS[2], files: [], tags: [], people: [], user_rotation: 0 }),
        "GET /api/albums": () => json([ALBUM]),
      }),
    );
    renderApp("/albums/3");
    await waitFor(() => expect(ids()).toEqual([10, 20, 30]));
    await user.click(screen.getAllByTestId("album-photo")[1]!);
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent("/albums/3/photos/20"));
    expect(await screen.findByTestId("viewer-position")).toHaveTextContent("2 / 3");
    await user.keyboard("{ArrowRight}");
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent("/albums/3/photos/30"));
    screen.getByRole("button", { name: "Close viewer" }).focus();
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent(/^\/albums\/3$/));
    expect(screen.queryByTestId("viewer")).not.toBeInTheDocument();
    // Back on the album, the photo shown last has the focus.
    expect(screen.getAllByTestId("album-photo")[2]).toHaveFocus();

    // The checkbox selects; while some are selected a click selects too, and opens nothing.
    await user.click(screen.getByLabelText("Select photo 1"));
    expect(screen.getByRole("toolbar", { name: "Selected photos" })).toHaveTextContent("1 photo selected");
    await user.click(screen.getAllByTestId("album-photo")[2]!);
    expect(screen.getByRole("toolbar", { name: "Selected photos" })).toHaveTextContent("2 photos selected");
    expect(screen.getByTestId("location")).toHaveTextContent(/^\/albums\/3$/);
  });

  it("puts a keyboard move back with Escape", async () => {
    const user = userEvent.setup();
    const seen = fakeApi(routes());
    renderApp("/albums/3");
    await waitFor(() => expect(ids()).toEqual([10, 20, 30]));
    screen.getAllByTestId("album-photo")[2]!.focus();
    await user.keyboard(" {ArrowLeft}");
    expect(ids()).toEqual([10, 30, 20]);
    await user.keyboard("{Escape}");
    expect(ids()).toEqual([10, 20, 30]);
    expect(seen.some((request) => request.url.endsWith("/reorder"))).toBe(false);
  });

  it("creates a share link after checking the form, and shows its address", async () => {
    const user = userEvent.setup();
    const bodies: Record<string, unknown>[] = [];
    fakeApi(
      routes({
        "POST /api/shares": async (request) => {
          bodies.push((await request.json()) as Record<string, unknown>);
          return json({ id: 7, url: `/s/${"x".repeat(43)}`, token: "x".repeat(43) }, 201);
        },
        "GET /api/shares": () => json([]),
      }),
    );
    renderApp("/albums/3");
    await user.click(await screen.findByRole("button", { name: "Share link" }));
    const dialog = screen.getByRole("dialog", { name: "Share link for Paris" });
    await user.click(within(dialog).getByLabelText("Protect with a password"));
    await user.click(within(dialog).getByLabelText("Allow downloading the originals"));
    expect(within(dialog).getByRole("note")).toHaveTextContent(/Downloads are copies without the GPS location/);
    await user.click(within(dialog).getByRole("button", { name: "Create link" }));
    expect(within(dialog).getByText("Enter a password, or choose no password.")).toBeInTheDocument();
    expect(bodies).toEqual([]);

    await user.type(within(dialog).getByLabelText("Link password"), "secret");
    await user.click(within(dialog).getByRole("button", { name: "Create link" }));
    const created = await screen.findByRole("dialog", { name: "Link created" });
    expect(within(created).getByTestId("share-url")).toHaveValue(`${window.location.origin}/s/${"x".repeat(43)}`);
    expect(within(created).getByText(/You can copy it again later/)).toBeInTheDocument();
    expect(bodies).toEqual([
      {
        album: 3,
        label: "",
        expires_at: null,
        password: "secret",
        allow_download: true,
        show_metadata: true,
        show_location: false,
        strip_metadata: false,
      },
    ]);
  });

  it("deletes the album after a confirmation, and goes back to the list", async () => {
    const user = userEvent.setup();
    let deleted = false;
    fakeApi(
      routes({
        "DELETE /api/albums/3": () => {
          deleted = true;
          return new Response(null, { status: 204 });
        },
        "GET /api/albums": () => json([]),
      }),
    );
    renderApp("/albums/3");
    await user.click(await screen.findByRole("button", { name: "Delete album" }));
    const confirm = screen.getByRole("dialog", { name: "Delete the album “Paris”?" });
    expect(within(confirm).getByText(/3 photos stay in the library/)).toBeInTheDocument();
    await user.click(within(confirm).getByRole("button", { name: "Delete album" }));
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent("/albums"));
    expect(deleted).toBe(true);
    expect(await screen.findByText("No albums yet.")).toBeInTheDocument();
  });

  it("marks a photo that could not be made as failed and does not offer it as the cover", async () => {
    const user = userEvent.setup();
    const reason = "damaged JPEG file: image data is truncated";
    const photos = [photoItem(10, 3), { ...photoItem(20, 5), thumbnail_version: 0, failed: true, failure: reason }];
    fakeApi(routes({ "GET /api/albums/3/photos": () => json({ count: 2, next: null, previous: null, results: photos }) }));
    renderApp("/albums/3");
    await waitFor(() => expect(ids()).toEqual([10, 20]));
    const [good, broken] = screen.getAllByTestId("album-photo");
    expect(within(broken!).getByTestId("failed-badge")).toHaveAttribute("title", reason);
    expect(broken!.querySelector("img")).toBeNull();
    expect(broken).toHaveAccessibleName(/\(could not be shown\)$/);
    expect(within(good!).queryByTestId("failed-badge")).not.toBeInTheDocument();

    await user.click(screen.getByLabelText("Select photo 2"));
    const cover = within(screen.getByRole("toolbar", { name: "Selected photos" })).getByRole("button", { name: "Set as cover" });
    expect(cover).toBeDisabled();
    expect(cover).toHaveAttribute("title", expect.stringContaining(reason));
    await user.click(screen.getByLabelText("Select photo 2"));
    await user.click(screen.getByLabelText("Select photo 1"));
    expect(within(screen.getByRole("toolbar", { name: "Selected photos" })).getByRole("button", { name: "Set as cover" })).toBeEnabled();
  });
});
