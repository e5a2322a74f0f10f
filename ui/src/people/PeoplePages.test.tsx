import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { IDLE_SUMMARY, PEOPLE, SIGNED_IN_SESSION, type Handler, fakeApi, json, personFace } from "../test/fakeApi";
import { renderApp } from "../test/render";

const LIBRARIES = [
  { id: 1, name: "Family", created_at: "2024-01-01T00:00:00Z", folders: [], photo_count: 10, error_count: 0 },
  { id: 2, name: "Work", created_at: "2024-01-01T00:00:00Z", folders: [], photo_count: 3, error_count: 0 },
];
const photoDetail = (id: number) => ({ id, thumbnail_version: 7 });

function routes(extra: Record<string, Handler> = {}): Record<string, Handler> {
  return {
    "GET /api/auth/session": () => json(SIGNED_IN_SESSION),
    "GET /api/jobs/summary": () => json(IDLE_SUMMARY),
    "GET /api/libraries": () => json(LIBRARIES),
    "GET /api/libraries/1/people": () => json(PEOPLE),
    "GET /api/libraries/2/people": () => json([]),
    "GET /api/people/1": () => json(PEOPLE[0]),
    "GET /api/people/1/faces": () => json([personFace(11, 1, 100), personFace(12, 1, 101, "confirmed")]),
    "GET /api/people/1/photos": () => json({ photos: [101, 100] }),
    "GET /api/photos/100": () => json(photoDetail(100)),
    "GET /api/photos/101": () => json(photoDetail(101)),
    "GET /api/faces": () => json({ count: 0, next: null, previous: null, results: [] }),
    ...extra,
  };
}

describe("PeoplePage", () => {
  it("lists named people, then the unnamed groups, as round crops with counts", async () => {
    const user = userEvent.setup();
    fakeApi(routes());
    renderApp("/people");
    const named = await screen.findByRole("list", { name: "People" });
    expect(within(named).getAllByRole("link").map((link) => link.textContent)).toEqual(["Ada", "Marie Curie"]);
    const unnamed = screen.getByRole("list", { name: "Unnamed groups" });
    expect(within(unnamed).getAllByRole("link").map((link) => link.getAttribute("href"))).toEqual(["/people/3", "/people/4"]);
    expect(within(named).getByText("3 faces · 3 photos")).toBeInTheDocument();
    expect(named.querySelector("img.face-crop")).toHaveAttribute("src", "/api/faces/10/crop");
    expect(screen.getByRole("link", { name: "People" })).toHaveAttribute("href", "/people");

    await user.selectOptions(screen.getByLabelText("Library"), "2");
    expect(await screen.findByText(/No people yet/)).toBeInTheDocument();
  });
});

describe("Unnamed faces", () => {
  it("lists the faces on nobody a page at a time, and names one", async () => {
    const user = userEvent.setup();
    const single = (id: number) => ({ ...personFace(id, 0, 200 + id), person: null, person_name: null });
    let named = false;
    const seen = fakeApi(
      routes({
        "GET /api/faces": (request) => {
          const query = new URL(request.url).searchParams;
          expect([query.get("library"), query.get("unassigned")]).toEqual(["1", "true"]);
          const page = Number(query.get("page"));
          const first = named ? [single(31), single(32)] : [single(30), single(31), single(32)];
          return json({ count: named ? 25 : 26, next: null, previous: null, results: page === 1 ? first : [single(99)] });
        },
        "GET /api/faces/30/suggestions": () => json([{ person: 2, name: "Marie Curie", distance: 0.4, cover_url: "/api/faces/10/crop" }]),
        "GET /api/faces/31/suggestions": () => json([]),
        "GET /api/faces/32/suggestions": () => json([]),
        "GET /api/faces/99/suggestions": () => json([]),
        "POST /api/faces/30/assign": () => {
          named = true;
          return json({ ...personFace(30, 2, 230), verdict: "moved" });
        },
      }),
    );
    renderApp("/people");
    const list = await screen.findByRole("list", { name: "Unnamed faces" });
    expect(screen.getByRole("heading", { name: /^Unnamed faces/ })).toHaveTextContent("Unnamed faces (26)");
    expect(within(list).getAllByTestId("unnamed-face").map((item) => item.dataset.faceId)).toEqual(["30", "31", "32"]);
    expect(list.querySelector("img.face-crop")).toHaveAttribute("src", "/api/faces/30/crop");
    expect(within(list).getByRole("link", { name: "Photo of face 30" })).toHaveAttribute("href", "/photos/230");

    await user.click(screen.getByRole("button", { name: "Next" }));
    await waitFor(() => expect(screen.getAllByTestId("unnamed-face").map((item) => item.dataset.faceId)).toEqual(["99"]));
    expect(screen.getByText("Page 2 of 2")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Previous" }));

    const first = await screen.findByText((_, element) => element?.getAttribute("data-face-id") === "30");
    await user.click(await within(first).findByRole("button", { name: "Marie Curie" }));
    await waitFor(() => expect(screen.getAllByTestId("unnamed-face").map((item) => item.dataset.faceId)).toEqual(["31", "32"]));
    expect(screen.getByRole("heading", { name: /^Unnamed faces/ })).toHaveTextContent("Unnamed faces (25)");
    const assign = seen.find((request) => request.method === "POST")!;
    expect(await assign.text()).toBe(JSON.stringify({ person: 2 }));
  });
});

describe("PersonPage", () => {
  it("renames only this person, shows photos, and sends each face action", async () => {
    const user = userEvent.setup();
    let ada = PEOPLE[0]!;
    const seen = fakeApi(
      routes({
        "GET /api/people/1": () => json(ada),
        "PATCH /api/people/1": async (request) => {
          ada = { ...ada, ...((await request.clone().json()) as { name: string }) };
          return json(ada);
        },
        "POST /api/faces/11/confirm": () => json(personFace(11, 1, 100, "confirmed")),
        "POST /api/faces/11/remove": () => json(personFace(11, 1, 100)),
        "POST /api/faces/12/reject": () => json(personFace(12, 1, 101)),
        "POST /api/faces/11/move": () => json(personFace(11, 3, 100)),
      }),
    );
    renderApp("/people/1");
    expect(await screen.findByRole("heading", { name: "Ada", level: 1 })).toBeInTheDocument();

    // Photos: newest first, each linking to the viewer with its grid thumbnail.
    await waitFor(() => expect(screen.getAllByTestId("person-photo").map((tile) => tile.dataset.photoId)).toEqual(["101", "100"]));
    expect(screen.getAllByTestId("person-photo")[0]).toHaveAttribute("href", "/photos/101");
    await waitFor(() =>
      expect(screen.getAllByTestId("person-photo")[0]!.querySelector("img")).toHaveAttribute("src", "/api/photos/101/thumbnail/grid?v=7"),
    );

    const name = screen.getByLabelText("Rename");
    await user.clear(name);
    await user.type(name, "Ada Lovelace");
    await user.click(screen.getByRole("button", { name: "Save name" }));
    expect(await screen.findByRole("heading", { name: "Ada Lovelace", level: 1 })).toBeInTheDocument();
    const patch = seen.find((request) => request.method === "PATCH")!;
    expect(new URL(patch.url).pathname).toBe("/api/people/1");
    expect(await patch.json()).toEqual({ name: "Ada Lovelace" });

    const [first, second] = screen.getAllByTestId("person-face");
    await user.click(within(first!).getByRole("button", { name: "Confirm" }));
    await waitFor(() => expect(within(first!).getByRole("button", { name: "Not this person" })).toBeEnabled());
    await user.click(within(first!).getByRole("button", { name: "Not this person" }));
    await waitFor(() => expect(within(second!).getByRole("button", { name: "Not a face" })).toBeEnabled());
    await user.click(within(second!).getByRole("button", { name: "Not a face" }));
    // Move targets: everyone in the library but Ada herself.
    const move = within(first!).getByLabelText("Move face 11 to");
    expect(within(move).getAllByRole("option").map((option) => option.textContent)).toEqual([
      "Move to…",
      "A new person",
      "Marie Curie",
      "Unnamed person 3",
      "Unnamed person 4",
    ]);
    await waitFor(() => expect(within(first!).getByRole("button", { name: "Move" })).toBeDisabled());
    await user.selectOptions(move, "3");
    await user.click(within(first!).getByRole("button", { name: "Move" }));

    await waitFor(() => expect(seen.filter((request) => request.url.includes("/api/faces/"))).toHaveLength(4));
    const posts = seen.filter((request) => request.method === "POST");
    expect(posts.map((request) => new URL(request.url).pathname)).toEqual([
      "/api/faces/11/confirm",
      "/api/faces/11/remove",
      "/api/faces/12/reject",
      "/api/faces/11/move",
    ]);
    expect(await posts[3]!.json()).toEqual({ person: 3, name: "" });
  });

  it("merges into another person after confirming, then shows the survivor", async () => {
    const user = userEvent.setup();
    const seen = fakeApi(
      routes({
        "POST /api/people/2/merge": () => json({ ...PEOPLE[1], face_count: 5, photo_count: 5 }),
        "GET /api/people/2": () => json({ ...PEOPLE[1], face_count: 5, photo_count: 5 }),
        "GET /api/people/2/faces": () => json([]),
        "GET /api/people/2/photos": () => json({ photos: [] }),
      }),
    );
    renderApp("/people/1");
    const select = await screen.findByLabelText("Merge into");
    await waitFor(() => expect(within(select).getAllByRole("option")).toHaveLength(4));
    expect(within(select).queryByRole("option", { name: "Ada" })).not.toBeInTheDocument();
    await user.selectOptions(select, "2");
    await user.click(screen.getByRole("button", { name: "Merge…" }));
    await user.click(await screen.findByRole("button", { name: "Merge" }));

    expect(await screen.findByRole("heading", { name: "Marie Curie", level: 1 })).toBeInTheDocument();
    expect(screen.getByTestId("location")).toHaveTextContent("/people/2");
    const merge = seen.find((request) => request.method === "POST")!;
    expect(new URL(merge.url).pathname).toBe("/api/people/2/merge");
    expect(await merge.json()).toEqual({ person: 1 });
  });
});
