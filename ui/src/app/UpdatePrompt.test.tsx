import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { act } from "react";
import { describe, expect, it, vi } from "vitest";
import { createAppUpdate } from "./appUpdate";
import { UpdatePrompt } from "./UpdatePrompt";

describe("UpdatePrompt", () => {
  it("says nothing until the service worker offers a new version", () => {
    render(<UpdatePrompt update={createAppUpdate()} />);
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
  });

  it("reloads into the new version when asked", async () => {
    const update = createAppUpdate();
    const apply = vi.fn(async () => {});
    render(<UpdatePrompt update={update} />);
    act(() => update.offer(apply));
    expect(screen.getByRole("status")).toHaveTextContent("A new version of Photonix is ready.");
    await userEvent.setup().click(screen.getByRole("button", { name: "Reload" }));
    expect(apply).toHaveBeenCalledOnce();
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
  });

  it("goes away on Later, and comes back for the next version", async () => {
    const update = createAppUpdate();
    const apply = vi.fn(async () => {});
    render(<UpdatePrompt update={update} />);
    act(() => update.offer(apply));
    await userEvent.setup().click(screen.getByRole("button", { name: "Later" }));
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
    expect(apply).not.toHaveBeenCalled();
    act(() => update.offer(apply));
    expect(screen.getByRole("status")).toBeInTheDocument();
  });
});
