import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Face } from "../api/types";
import { PEOPLE, fakeApi, json } from "../test/fakeApi";
import { assignBody, personName } from "./faces";
import { FaceNamer } from "./FaceNamer";

const FACE: Face = {
  id: 7,
  photo: 70,
  library: 1,
  person: null,
  person_name: null,
  verdict: "removed",
  box: { x: 0.1, y: 0.1, width: 0.2, height: 0.2 },
  confidence: 0.99,
  size: 120,
  clusterable: true,
  crop_url: "/api/faces/7/crop",
  suggestions: null,
};
// Nearest first, as the server ranks them.
const SUGGESTIONS = [
  { person: 2, name: "Marie Curie", distance: 0.41, cover_url: "/api/faces/20/crop" },
  { person: 3, name: "", distance: 0.62, cover_url: null },
];

function renderNamer(onDone = vi.fn(), face: Face = FACE) {
  const seen = fakeApi({
    "GET /api/faces/7/suggestions": () => json(SUGGESTIONS),
    "GET /api/libraries/1/people": () => json(PEOPLE),
    "POST /api/faces/7/assign": () => json({ ...FACE, verdict: "moved", person: 2, person_name: "Marie Curie" }),
    "POST /api/faces/7/ignore": () => json({ ...FACE, verdict: "ignored" }),
  });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <FaceNamer face={face} onDone={onDone} withDismiss />
    </QueryClientProvider>,
  );
  return { seen, onDone };
}

const posted = async (seen: Request[]) => {
  await waitFor(() => expect(seen.some((request) => request.method === "POST")).toBe(true));
  const request = seen.find((item) => item.method === "POST")!;
  return { path: new URL(request.url).pathname, body: await request.text() };
};

describe("FaceNamer", () => {
  it("offers the nearest people first, an unnamed group by its number, and names with one click", async () => {
    const user = userEvent.setup();
    const { seen, onDone } = renderNamer();
    const list = await screen.findByRole("list", { name: "Suggestions" });
    expect(within(list).getAllByRole("button").map((button) => button.textContent)).toEqual(["Marie Curie", "Unnamed person 3"]);
    expect(list.querySelectorAll("img")[1]).toHaveAttribute("src", "/api/people/3/crop");
    await user.click(within(list).getByRole("button", { name: "Marie Curie" }));
    expect(await posted(seen)).toEqual({ path: "/api/faces/7/assign", body: JSON.stringify({ person: 2 }) });
    await waitFor(() => expect(onDone).toHaveBeenCalled());
  });

  it("uses the suggestions a face came with instead of asking for them", async () => {
    const { seen } = renderNamer(vi.fn(), { ...FACE, suggestions: SUGGESTIONS.slice(0, 1) });
    const list = await screen.findByRole("list", { name: "Suggestions" });
    expect(within(list).getAllByRole("button").map((button) => button.textContent)).toEqual(["Marie Curie"]);
    await waitFor(() => expect(seen.some((request) => new URL(request.url).pathname === "/api/libraries/1/people")).toBe(true));
    expect(seen.some((request) => new URL(request.url).pathname.endsWith("/suggestions"))).toBe(false);
  });

  it("picks an existing person when their name is typed, in any case", async () => {
    const user = userEvent.setup();
    const { seen } = renderNamer();
    await screen.findByRole("list", { name: "Suggestions" });
    await waitFor(() => expect(seen.some((request) => new URL(request.url).pathname === "/api/libraries/1/people")).toBe(true));
    await user.type(screen.getByLabelText("Name of face 7"), "  ada ");
    await user.click(screen.getByRole("button", { name: "Name" }));
    expect(await posted(seen)).toEqual({ path: "/api/faces/7/assign", body: JSON.stringify({ person: 1 }) });
  });

  it("sends a new name as a name, and ignores a stranger", async () => {
    const user = userEvent.setup();
    const first = renderNamer();
    await user.type(screen.getByLabelText("Name of face 7"), "Paul Langevin");
    await user.click(screen.getByRole("button", { name: "Name" }));
    expect(await posted(first.seen)).toEqual({ path: "/api/faces/7/assign", body: JSON.stringify({ name: "Paul Langevin" }) });
    first.seen.length = 0;
    await user.click(screen.getByRole("button", { name: "Ignore" }));
    expect(await posted(first.seen)).toEqual({ path: "/api/faces/7/ignore", body: "" });
  });
});

describe("naming helpers", () => {
  it("label unnamed people and build the request body", () => {
    expect(personName({ id: 5, name: " " })).toBe("Unnamed person 5");
    expect(personName({ id: 5, name: "Ada" })).toBe("Ada");
    expect(assignBody({ person: 3, name: "x" })).toEqual({ person: 3 });
    expect(assignBody({ name: "  Ada " })).toEqual({ name: "Ada" });
    expect(assignBody({ name: "  " })).toBeNull();
  });
});
