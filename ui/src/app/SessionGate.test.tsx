import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { fakeApi, json, SIGNED_OUT_SESSION } from "../test/fakeApi";
import { renderApp } from "../test/render";

describe("SessionGate", () => {
  it("offers a retry when the server cannot be reached", async () => {
    fakeApi({ "GET /api/auth/session": () => json(SIGNED_OUT_SESSION) });
    vi.mocked(globalThis.fetch).mockRejectedValueOnce(new TypeError("Failed to fetch"));
    renderApp("/");
    expect(await screen.findByRole("alert")).toHaveTextContent(/could not reach/i);
    await userEvent.setup().click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("button", { name: "Log in" })).toBeInTheDocument();
  });
});
