import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { MemoryRouter, Route, Routes } from "react-router";
import { describe, expect, it } from "vitest";
import type { Session } from "../api/types";
import { fakeApi, IDLE_SUMMARY, json, SIGNED_IN_SESSION, SIGNED_OUT_SESSION } from "../test/fakeApi";
import { AppShell, ShellOverlay } from "./AppShell";
import { sessionQueryKey } from "./session";
import { useShellUser } from "./shell";

function Greeting() {
  return <p>Hello {useShellUser().username}</p>;
}

function CoveredPage() {
  const [open, setOpen] = useState(true);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Open
      </button>
      {open && (
        <ShellOverlay>
          <div role="dialog" aria-label="Over the page">
            <button type="button" onClick={() => setOpen(false)}>
              Close
            </button>
          </div>
        </ShellOverlay>
      )}
    </>
  );
}

function renderShell(path: string, session: Session = SIGNED_IN_SESSION) {
  fakeApi({ "GET /api/jobs/summary": () => json(IDLE_SUMMARY) });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  queryClient.setQueryData(sessionQueryKey, session);
  return render(
    <QueryClientProvider client={queryClient}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route element={<AppShell />}>
            <Route path="/page" element={<Greeting />} />
            <Route path="/settings" element={<Greeting />} />
            <Route path="/covered" element={<CoveredPage />} />
          </Route>
          <Route element={<AppShell fill />}>
            <Route path="/full" element={<main>Full window</main>} />
          </Route>
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe("AppShell", () => {
  it("puts the header and navigation above the page, which renders in the main column", () => {
    renderShell("/page");
    const header = screen.getByRole("banner");
    expect(within(header).getByRole("navigation", { name: "Main" })).toBeInTheDocument();
    expect(within(header).getByTestId("current-user")).toHaveTextContent("admin");
    expect(within(header).getByRole("link", { name: "Jobs" })).toHaveAttribute("href", "/jobs");
    const main = screen.getByRole("main");
    expect(main).toHaveClass("shell__main");
    expect(within(main).getByText("Hello admin")).toBeInTheDocument();
  });

  it("leaves the main landmark to a full-window page", () => {
    renderShell("/full");
    expect(screen.getByRole("banner")).toBeInTheDocument();
    expect(screen.getAllByRole("main")).toHaveLength(1);
    expect(screen.getByRole("main")).toHaveTextContent("Full window");
    expect(screen.getByRole("main")).not.toHaveClass("shell__main");
  });

  it("renders nothing without a signed-in user", () => {
    const { container } = renderShell("/page", SIGNED_OUT_SESSION);
    expect(container).toBeEmptyDOMElement();
  });

  it("makes the page inert under an overlay, and usable again when it closes", async () => {
    const { container } = renderShell("/covered");
    const shell = container.querySelector(".shell")!;
    const dialog = screen.getByRole("dialog", { name: "Over the page" });
    expect(shell).toHaveAttribute("inert");
    expect(shell).not.toContainElement(dialog);

    await userEvent.setup().click(within(dialog).getByRole("button", { name: "Close" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(shell).not.toHaveAttribute("inert");
  });

  it("gathers the places a phone's bottom bar has no room for, and Log out, under More", async () => {
    renderShell("/page");
    const user = userEvent.setup();
    const more = screen.getByRole("button", { name: "More" });
    expect(more).toHaveAttribute("aria-expanded", "false");
    expect(screen.queryByRole("navigation", { name: "More" })).not.toBeInTheDocument();

    await user.click(more);
    const menu = screen.getByRole("navigation", { name: "More" });
    expect(more).toHaveAttribute("aria-expanded", "true");
    expect(more).toHaveAttribute("aria-controls", menu.id);
    const places = within(menu).getAllByRole("link").map((link) => link.getAttribute("href"));
    expect(places).toEqual(["/duplicates", "/settings", "/jobs", "/users", "/account"]);
    expect(within(menu).getByRole("button", { name: "Log out" })).toBeInTheDocument();

    // Choosing a place closes it; so does Escape, and More again.
    await user.click(within(menu).getByRole("link", { name: "Settings" }));
    expect(screen.queryByRole("navigation", { name: "More" })).not.toBeInTheDocument();
    expect(more).toHaveClass("active");
    await user.click(more);
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("navigation", { name: "More" })).not.toBeInTheDocument();
    await user.click(more);
    await user.click(more);
    expect(screen.queryByRole("navigation", { name: "More" })).not.toBeInTheDocument();
  });
});
