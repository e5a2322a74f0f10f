import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { InstalledClassifier, ServerFolders } from "../api/types";
import { fakeApi, IDLE_SUMMARY, json, MEMBER_SESSION, SIGNED_IN_SESSION, type Handler } from "../test/fakeApi";
import { renderApp } from "../test/render";

const INSTALLED: InstalledClassifier[] = ["colour", "event", "faces", "object", "place", "style"].map((name) => ({
  name,
  version: 1,
  queue: name === "faces" ? "faces" : "classify",
}));

function listing(path: string, folders: string[], photoCount = 0, library: string | null = null): ServerFolders {
  return {
    path,
    parent: path === "/" ? null : path.split("/").slice(0, -1).join("/") || "/",
    folders: folders.map((name) => ({ name, path: `${path === "/" ? "" : path}/${name}`, readable: true })),
    truncated: false,
    photo_count: photoCount,
    photo_count_capped: false,
    library,
    in_library: library !== null,
    places: ["/photos", "/mnt"],
  };
}

const DISK: Record<string, ServerFolders> = {
  "/photos": listing("/photos", ["Family", "Private", "Trips"]),
  "/photos/Family": listing("/photos/Family", ["2023", "2024"], 12),
  "/photos/Trips": listing("/photos/Trips", [], 3, "Old trips"),
  // Held by a library the administrator does not belong to: taken, but not named.
  "/photos/Private": { ...listing("/photos/Private", []), in_library: true },
  "/mnt": listing("/mnt", []),
};

const serverFolders: Handler = (request) => {
  const path = new URL(request.url).searchParams.get("path") ?? "/photos";
  const found = DISK[path];
  return found ? json(found) : json({ detail: `${path}: no such folder on the server` }, 400);
};

function routes(extra: Record<string, Handler> = {}): Record<string, Handler> {
  return {
    "GET /api/auth/session": () => json(SIGNED_IN_SESSION),
    "GET /api/libraries": () => json([]),
    "GET /api/classifiers": () => json(INSTALLED),
    "GET /api/server/folders": serverFolders,
    "GET /api/jobs/summary": () => json(IDLE_SUMMARY),
    ...extra,
  };
}

describe("WelcomePage", () => {
  it("adds the first library from browsed folders with the classifiers chosen", async () => {
    const seen = fakeApi(
      routes({
        "POST /api/libraries": () => json({ id: 7, name: "Family photos", folders: [], photo_count: 0, error_count: 0 }, 201),
        "GET /api/timeline": () => json({ results: [], next: null }),
      }),
    );
    renderApp("/welcome");
    const user = userEvent.setup();
    expect(await screen.findByRole("heading", { name: "Set up your first library" })).toBeInTheDocument();
    const steps = screen.getByRole("list", { name: "Setup steps" });
    expect(within(steps).getByText("Your photos").closest("li")).toHaveAttribute("aria-current", "step");

    const name = screen.getByLabelText("Library name");
    await user.clear(name);
    await user.type(name, "Family photos");

    // The server lists its folders, starting at the usual place for photos.
    const here = await screen.findByTestId("welcome-folders-here");
    expect(here).toHaveTextContent("/photos");
    await user.click(screen.getByRole("button", { name: "Family" }));
    await waitFor(() => expect(screen.getByTestId("welcome-folders-here")).toHaveTextContent("/photos/Family · 12 photos"));
    await user.click(screen.getByRole("button", { name: "Add this folder" }));
    expect(within(screen.getByRole("list", { name: "Folders of this library" })).getByText("/photos/Family")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Folder added" })).toBeDisabled();

    // A folder another library holds is shown as such and cannot be added.
    await user.click(screen.getByRole("button", { name: /Up to \/photos/ }));
    await user.click(await screen.findByRole("button", { name: "Trips" }));
    await waitFor(() => expect(screen.getByTestId("welcome-folders-here")).toHaveTextContent("already in library “Old trips”"));
    expect(screen.getByRole("button", { name: "Add this folder" })).toBeDisabled();
    await user.click(screen.getByRole("button", { name: /Up to \/photos/ }));
    await user.click(await screen.findByRole("button", { name: "Private" }));
    await waitFor(() => expect(screen.getByTestId("welcome-folders-here")).toHaveTextContent("already in another library"));
    expect(screen.getByRole("button", { name: "Add this folder" })).toBeDisabled();

    // A typed path the server does not have keeps the listing and says why.
    const path = screen.getByLabelText("Folder");
    await user.clear(path);
    await user.type(path, "/nowhere{Enter}");
    expect(await screen.findByText("/nowhere: no such folder on the server")).toBeInTheDocument();
    expect(path).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("welcome-folders-here")).toHaveTextContent("/photos/Private");

    await user.click(screen.getByRole("button", { name: "Next" }));
    const faces = await screen.findByRole("switch", { name: /Faces/ });
    expect(faces).toBeChecked();
    await user.click(faces);
    await user.click(screen.getByRole("switch", { name: /Styles/ }));
    await user.click(screen.getByRole("button", { name: "Start importing" }));

    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent(/^\/$/));
    const post = seen.find((r) => r.method === "POST");
    expect(await post?.json()).toEqual({
      name: "Family photos",
      folders: ["/photos/Family"],
      watched: true,
      classifiers: [
        { name: "colour", enabled: true },
        { name: "event", enabled: true },
        { name: "faces", enabled: false },
        { name: "object", enabled: true },
        { name: "place", enabled: true },
        { name: "style", enabled: false },
      ],
    });
  });

  it("asks for a folder before going on", async () => {
    fakeApi(routes());
    renderApp("/welcome");
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Next" }));
    expect(await screen.findByText(/Add at least one folder/)).toBeInTheDocument();
    expect(screen.queryByRole("switch", { name: /Faces/ })).not.toBeInTheDocument();
  });

  it("goes back to the name when another library has it", async () => {
    fakeApi(
      routes({
        "POST /api/libraries": () => json({ name: ["a library called 'photos' already exists; choose another name"] }, 400),
      }),
    );
    renderApp("/welcome");
    const user = userEvent.setup();
    await screen.findByTestId("welcome-folders-here");
    await user.click(screen.getByRole("button", { name: "Add this folder" }));
    await user.click(screen.getByRole("button", { name: "Next" }));
    await user.click(await screen.findByRole("button", { name: "Start importing" }));
    expect(await screen.findByText("a library called 'photos' already exists; choose another name")).toBeInTheDocument();
    expect(screen.getByLabelText("Library name")).toBeInTheDocument();
  });

  it("goes back to the folders when the server refuses one", async () => {
    fakeApi(
      routes({
        "POST /api/libraries": () => json({ detail: "/photos already belongs to library 'Old'" }, 400),
      }),
    );
    renderApp("/welcome");
    const user = userEvent.setup();
    await screen.findByTestId("welcome-folders-here");
    await user.click(screen.getByRole("button", { name: "Add this folder" }));
    await user.click(screen.getByRole("button", { name: "Next" }));
    await user.click(await screen.findByRole("button", { name: "Start importing" }));
    expect(await screen.findByText("/photos already belongs to library 'Old'")).toBeInTheDocument();
    expect(screen.getByLabelText("Library name")).toBeInTheDocument();
    expect(screen.getByTestId("location")).toHaveTextContent("/welcome");
  });

  it("can be skipped", async () => {
    fakeApi(routes({ "GET /api/timeline": () => json({ results: [], next: null }) }));
    renderApp("/welcome");
    const user = userEvent.setup();
    await user.click(await screen.findByRole("link", { name: "Skip for now" }));
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent(/^\/$/));
  });

  it("tells someone who is not an administrator who adds libraries", async () => {
    fakeApi({ ...routes(), "GET /api/auth/session": () => json(MEMBER_SESSION) });
    renderApp("/welcome");
    expect(await screen.findByText(/An administrator adds the libraries/)).toBeInTheDocument();
    expect(screen.queryByLabelText("Library name")).not.toBeInTheDocument();
  });
});
