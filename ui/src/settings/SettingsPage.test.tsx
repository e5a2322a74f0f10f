import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Health } from "../api/types";
import {
  fakeApi,
  HEALTHY,
  HEALTHY_COMPONENTS,
  json,
  MEMBER_SESSION,
  SIGNED_IN_SESSION,
  SIGNED_OUT_SESSION,
} from "../test/fakeApi";
import { renderApp } from "../test/render";
import { formatDuration } from "../shared/format";

describe("SettingsPage", () => {
  it("shows the user and the system status", async () => {
    fakeApi({
      "GET /api/auth/session": () => json(SIGNED_IN_SESSION),
      "GET /api/health": () => json(HEALTHY),
      "GET /api/libraries": () => json([]),
    });
    renderApp("/settings");
    expect(await screen.findByTestId("current-user")).toHaveTextContent("admin");
    const card = await screen.findByRole("region", { name: "System status" });
    await within(card).findByText("All good");
    expect(within(screen.getByTestId("status-database")).getByText("OK")).toBeInTheDocument();
    expect(within(screen.getByTestId("status-workers")).getByText(/13 ms/)).toBeInTheDocument();
  });

  it("shows a degraded report (HTTP 503) as data, not as an error", async () => {
    const degraded: Health = {
      ...HEALTHY,
      status: "degraded",
      components: {
        ...HEALTHY_COMPONENTS,
        workers: { ok: false, detail: "no worker answered", latency_ms: null },
      },
    };
    fakeApi({
      "GET /api/auth/session": () => json(SIGNED_IN_SESSION),
      "GET /api/health": () => json(degraded, 503),
      "GET /api/libraries": () => json([]),
    });
    renderApp("/settings");
    const workers = await screen.findByTestId("status-workers");
    expect(within(workers).getByText("Failing")).toBeInTheDocument();
    expect(within(workers).getByText("no worker answered")).toBeInTheDocument();
    expect(screen.getByText("Degraded")).toBeInTheDocument();
  });

  it("shows a member each part's state without the details only administrators get", async () => {
    const unavailable = { ok: false, detail: "unavailable", latency_ms: null };
    const forMember: Health = {
      status: "degraded",
      components: {
        database: { ok: true, detail: "ok", latency_ms: null },
        broker: { ok: true, detail: "ok", latency_ms: null },
        workers: unavailable,
      },
    };
    fakeApi({
      "GET /api/auth/session": () => json(MEMBER_SESSION),
      "GET /api/health": () => json(forMember, 503),
      "GET /api/libraries": () => json([]),
    });
    renderApp("/settings");
    const workers = await screen.findByTestId("status-workers");
    expect(within(workers).getByText("Failing")).toBeInTheDocument();
    expect(within(workers).queryByText("unavailable")).not.toBeInTheDocument();
    expect(screen.getByText("Details are shown to administrators.")).toBeInTheDocument();
    expect(screen.queryByText(/^Photonix /)).not.toBeInTheDocument();
  });

  it("fills a new library's folders from the server's folder list", async () => {
    fakeApi({
      "GET /api/auth/session": () => json(SIGNED_IN_SESSION),
      "GET /api/health": () => json(HEALTHY),
      "GET /api/libraries": () => json([]),
      "GET /api/server/folders": (request) => {
        const path = new URL(request.url).searchParams.get("path") ?? "/srv";
        return json({
          path,
          parent: path === "/srv" ? "/" : "/srv",
          folders: path === "/srv" ? [{ name: "photos", path: "/srv/photos", readable: true }] : [],
          truncated: false,
          photo_count: path === "/srv" ? 0 : 5,
          photo_count_capped: false,
          library: null,
          in_library: false,
          places: ["/srv"],
        });
      },
    });
    renderApp("/settings");
    const user = userEvent.setup();
    const folders = await screen.findByLabelText("Folders on the server");
    await user.type(folders, "/mnt/old");
    await user.click(screen.getByRole("button", { name: "Browse the server's folders" }));
    await user.click(await screen.findByRole("button", { name: "photos" }));
    await waitFor(() => expect(screen.getByTestId("library-browse-here")).toHaveTextContent("/srv/photos · 5 photos"));
    await user.click(screen.getByRole("button", { name: "Add this folder" }));
    expect(folders).toHaveValue("/mnt/old\n/srv/photos");
    expect(screen.getByRole("button", { name: "Folder added" })).toBeDisabled();
  });

  it("logs out to the login page", async () => {
    document.cookie = "csrftoken=tok; path=/";
    let session = SIGNED_IN_SESSION;
    const seen = fakeApi({
      "GET /api/auth/session": () => json(session),
      "GET /api/health": () => json(HEALTHY),
      "GET /api/libraries": () => json([]),
      "POST /api/auth/logout": () => {
        session = SIGNED_OUT_SESSION;
        return new Response(null, { status: 204 });
      },
    });
    renderApp("/settings");
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Log out" }));
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent("/login"));
    expect(screen.getByRole("button", { name: "Log in" })).toBeInTheDocument();
    expect(seen.find((r) => r.method === "POST")?.headers.get("X-CSRFToken")).toBe("tok");
  });
});

describe("formatDuration", () => {
  it("keeps one decimal for small numbers only", () => {
    expect(formatDuration(0.44)).toBe("0.4 ms");
    expect(formatDuration(12.6)).toBe("13 ms");
  });
});
