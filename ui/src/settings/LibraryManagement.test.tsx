import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Library, LibraryMember, Session } from "../api/types";
import { type Handler, fakeApi, HEALTHY, json, MEMBER_SESSION, SIGNED_IN_SESSION } from "../test/fakeApi";
import { renderApp } from "../test/render";

function library(role: Library["role"], overrides: Partial<Library> = {}): Library {
  return {
    id: 7,
    name: "Family",
    created_at: "2024-01-01T00:00:00Z",
    photo_count: 12,
    error_count: 0,
    role,
    upload_folder: "",
    delete_originals: false,
    write_originals: false,
    folders: [
      {
        id: 3,
        path: "/photos/family",
        watched: true,
        last_scan_started_at: null,
        last_scan_finished_at: null,
        last_scan_stats: {},
        last_scan_error: "",
      },
    ],
    ...overrides,
  };
}

const MEMBERS: LibraryMember[] = [
  { user_id: 2, username: "member", role: "owner" },
  { user_id: 5, username: "victor", role: "viewer" },
];

function serve(session: Session, lib: Library, extra: Record<string, Handler> = {}) {
  return fakeApi({
    "GET /api/auth/session": () => json(session),
    "GET /api/health": () => json(HEALTHY),
    "GET /api/libraries": () => json([lib]),
    "GET /api/libraries/7/members": () => json(MEMBERS),
    ...extra,
  });
}

async function card() {
  return within(await screen.findByRole("article", { name: "Family" }));
}

describe("Settings: managing a library", () => {
  it("gives an owner who is not an administrator the controls, except adding folders", async () => {
    serve(MEMBER_SESSION, library("owner"));
    renderApp("/settings");
    const lib = await card();
    expect(lib.getByTestId("role-7")).toHaveTextContent("Your role: Owner");
    expect(lib.getByRole("button", { name: "Rename Family" })).toBeInTheDocument();
    expect(lib.getByRole("switch", { name: "Watch /photos/family" })).toBeChecked();
    expect(lib.getByRole("button", { name: "Remove folder /photos/family" })).toBeInTheDocument();
    expect(lib.getByText("An administrator adds folders.")).toBeInTheDocument();
    expect(lib.queryByRole("button", { name: "Add a folder" })).not.toBeInTheDocument();
    expect(await lib.findByRole("combobox", { name: "Role of victor" })).toHaveValue("viewer");
    expect(lib.getByRole("button", { name: "Add member" })).toBeInTheDocument();
  });

  it("shows a viewer or an editor the library without any control", async () => {
    for (const role of ["viewer", "editor"] as const) {
      serve(MEMBER_SESSION, library(role));
      const { unmount } = renderApp("/settings");
      const lib = await card();
      await lib.findByTestId("member-victor");
      expect(lib.getByTestId("member-victor")).toHaveTextContent("Viewer");
      expect(lib.queryByRole("button", { name: /Rename|Remove|Add/ })).not.toBeInTheDocument();
      expect(lib.queryByRole("switch")).not.toBeInTheDocument();
      expect(lib.queryByRole("combobox")).not.toBeInTheDocument();
      expect(lib.getByText(/not watched|watched/)).toBeInTheDocument();
      unmount();
    }
  });

  it("lets an administrator who is a viewer of the library manage it and add folders", async () => {
    serve(SIGNED_IN_SESSION, library("viewer"), { "GET /api/users": () => json([]) });
    renderApp("/settings");
    const lib = await card();
    expect(lib.getByRole("button", { name: "Add a folder" })).toBeInTheDocument();
    expect(lib.getByRole("button", { name: "Remove folder /photos/family" })).toBeInTheDocument();
  });

  it("says the last owner cannot be demoted or removed", async () => {
    const lastOwner = { role: ["A library keeps at least one owner: make someone else an owner first."] };
    serve(MEMBER_SESSION, library("owner"), {
      "PATCH /api/libraries/7/members/2": () => json(lastOwner, 400),
      "DELETE /api/libraries/7/members/2": () => json({ user: lastOwner.role }, 400),
    });
    renderApp("/settings");
    const user = userEvent.setup();
    const lib = await card();
    await user.selectOptions(await lib.findByRole("combobox", { name: "Role of member" }), "viewer");
    expect(await lib.findByRole("alert")).toHaveTextContent("A library keeps at least one owner");
    await user.click(lib.getByRole("button", { name: "Remove member" }));
    const dialog = within(await screen.findByRole("dialog", { name: "Remove member from Family?" }));
    expect(dialog.getByText(/You will no longer see this library/)).toBeInTheDocument();
    await user.click(dialog.getByRole("button", { name: "Remove member" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(lib.getByRole("alert")).toHaveTextContent("make someone else an owner first");
  });

  it("adds a member with a role, and shows an unknown username on the field", async () => {
    const posted: unknown[] = [];
    serve(MEMBER_SESSION, library("owner"), {
      "POST /api/libraries/7/members": async (request) => {
        const body = (await request.json()) as { username: string; role: string };
        posted.push(body);
        if (body.username !== "edith") return json({ username: [`No active user is called '${body.username}'.`] }, 400);
        return json([...MEMBERS, { user_id: 6, username: "edith", role: body.role }], 201);
      },
    });
    renderApp("/settings");
    const user = userEvent.setup();
    const lib = await card();
    const username = await lib.findByLabelText("Username");
    await user.type(username, "nobody");
    await user.click(lib.getByRole("button", { name: "Add member" }));
    expect(await lib.findByRole("alert")).toHaveTextContent("No active user is called 'nobody'.");
    expect(username).toHaveAttribute("aria-invalid", "true");
    await user.clear(username);
    await user.type(username, "edith");
    await user.selectOptions(lib.getByLabelText("Role"), "editor");
    await user.click(lib.getByRole("button", { name: "Add member" }));
    expect(await lib.findByTestId("member-edith")).toBeInTheDocument();
    expect(lib.getByRole("combobox", { name: "Role of edith" })).toHaveValue("editor");
    expect(username).toHaveValue("");
    expect(posted).toEqual([
      { username: "nobody", role: "viewer" },
      { username: "edith", role: "editor" },
    ]);
  });

  it("asks before removing a folder, says the files stay on disk, and reports what left", async () => {
    let lib = library("owner");
    serve(MEMBER_SESSION, lib, {
      "GET /api/libraries": () => json([lib]),
      "DELETE /api/libraries/7/folders/3": () => {
        lib = { ...lib, folders: [] };
        return json({ files: 14, photos: 12 });
      },
    });
    renderApp("/settings");
    const user = userEvent.setup();
    const card7 = await card();
    await user.click(card7.getByRole("button", { name: "Remove folder /photos/family" }));
    const dialog = within(await screen.findByRole("dialog", { name: "Remove /photos/family from Family?" }));
    expect(dialog.getByText(/Nothing on disk is deleted/)).toBeInTheDocument();
    expect(dialog.getByText(/ratings, tags, faces and their places in albums/)).toBeInTheDocument();
    await user.click(dialog.getByRole("button", { name: "Remove folder" }));
    expect(await card7.findByRole("status")).toHaveTextContent(
      "/photos/family was removed: 12 photos left the library. The files on disk were not touched.",
    );
    expect(await card7.findByText("No folders: this library imports nothing.")).toBeInTheDocument();
  });

  it("switches watching off for a folder", async () => {
    let lib = library("owner");
    const patched: unknown[] = [];
    serve(MEMBER_SESSION, lib, {
      "GET /api/libraries": () => json([lib]),
      "PATCH /api/libraries/7/folders/3": async (request) => {
        const { watched } = (await request.json()) as { watched: boolean };
        patched.push({ watched });
        lib = { ...lib, folders: lib.folders.map((folder) => ({ ...folder, watched })) };
        return json(lib);
      },
    });
    renderApp("/settings");
    const user = userEvent.setup();
    const toggle = (await card()).getByRole("switch", { name: "Watch /photos/family" });
    await user.click(toggle);
    await waitFor(() => expect(toggle).not.toBeChecked());
    expect(patched).toEqual([{ watched: false }]);
  });

  it("shows why a folder cannot be added, on the path field", async () => {
    serve(SIGNED_IN_SESSION, library("owner"), {
      "GET /api/users": () => json([]),
      "POST /api/libraries/7/folders": () =>
        json({ path: ["/photos/family/2024 overlaps folder /photos/family of this library: its photos would be imported twice"] }, 400),
    });
    renderApp("/settings");
    const user = userEvent.setup();
    const lib = await card();
    await user.click(lib.getByRole("button", { name: "Add a folder" }));
    const path = lib.getByLabelText("Folder on the server");
    await user.type(path, "/photos/family/2024");
    await user.click(lib.getByRole("button", { name: "Add folder" }));
    expect(await lib.findByRole("alert")).toHaveTextContent("overlaps folder /photos/family of this library");
    expect(path).toHaveAttribute("aria-invalid", "true");
    expect(path).toHaveValue("/photos/family/2024");
  });

  it("renames a library, and shows a clash under the name", async () => {
    let lib = library("owner");
    serve(MEMBER_SESSION, lib, {
      "GET /api/libraries": () => json([lib]),
      "PATCH /api/libraries/7": async (request) => {
        const { name } = (await request.json()) as { name: string };
        if (name === "Work") return json({ name: ["another library is already called 'Work'"] }, 400);
        lib = { ...lib, name };
        return json(lib);
      },
    });
    renderApp("/settings");
    const user = userEvent.setup();
    await user.click((await card()).getByRole("button", { name: "Rename Family" }));
    const name = screen.getByLabelText("Library name");
    await user.clear(name);
    await user.type(name, "Work");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("another library is already called 'Work'");
    await user.clear(name);
    await user.type(name, "Holidays");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByRole("article", { name: "Holidays" })).toBeInTheDocument();
  });
  it("shows where uploads go, and lets owners choose the folder", async () => {
    let lib = library("owner");
    serve(MEMBER_SESSION, lib, {
      "GET /api/libraries": () => json([lib]),
      "PATCH /api/libraries/7": async (request) => {
        const { upload_folder } = (await request.json()) as { upload_folder: string };
        if (!upload_folder.startsWith("/photos/family/")) {
          return json({ upload_folder: ["the upload folder must be inside one of the library's folders"] }, 400);
        }
        lib = { ...lib, upload_folder };
        return json(lib);
      },
    });
    renderApp("/settings");
    const user = userEvent.setup();
    expect(await (await card()).findByTestId("upload-folder-7")).toHaveTextContent("/photos/family/uploads");
    expect((await card()).getByText(/the default/)).toBeInTheDocument();
    await user.click((await card()).getByRole("button", { name: "Change the upload folder of Family" }));
    const path = screen.getByLabelText("Upload folder");
    await user.type(path, "/elsewhere");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("must be inside one of the library's folders");
    await user.clear(path);
    await user.type(path, "/photos/family/phone");
    await user.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.getByTestId("upload-folder-7")).toHaveTextContent("/photos/family/phone"));
  });

  it("shows viewers where uploads go without a way to change it", async () => {
    serve(MEMBER_SESSION, library("viewer", { upload_folder: "/photos/family/in" }));
    renderApp("/settings");
    expect(await (await card()).findByTestId("upload-folder-7")).toHaveTextContent("/photos/family/in");
    expect((await card()).queryByRole("button", { name: /upload folder/ })).not.toBeInTheDocument();
  });
});
