import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ADMIN, fakeApi, HEALTHY, json, SIGNED_IN_SESSION, SIGNED_OUT_SESSION } from "../test/fakeApi";
import { renderApp } from "../test/render";

describe("LoginPage", () => {
  it("shows the server's message for a wrong password and clears the password", async () => {
    fakeApi({
      "GET /api/auth/session": () => json(SIGNED_OUT_SESSION),
      "POST /api/auth/login": () => json({ detail: "Wrong username or password." }, 400),
    });
    renderApp("/");
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Username"), "admin");
    await user.type(screen.getByLabelText("Password"), "nope");
    await user.click(screen.getByRole("button", { name: "Log in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong username or password.");
    expect(screen.getByLabelText("Password")).toHaveValue("");
    expect(screen.getByLabelText("Password")).toHaveFocus();
  });

  it("explains throttling", async () => {
    fakeApi({
      "GET /api/auth/session": () => json(SIGNED_OUT_SESSION),
      "POST /api/auth/login": () =>
        json({ detail: "Request was throttled. Expected available in 60 seconds." }, 429),
    });
    renderApp("/login");
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Username"), "admin");
    await user.type(screen.getByLabelText("Password"), "pw");
    await user.click(screen.getByRole("button", { name: "Log in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(/throttled/);
  });

  it("takes a person back to the page they asked for", async () => {
    let session = SIGNED_OUT_SESSION;
    fakeApi({
      "GET /api/auth/session": () => json(session),
      "POST /api/auth/login": () => {
        session = SIGNED_IN_SESSION;
        return json(ADMIN);
      },
      "GET /api/health": () => json(HEALTHY),
    });
    renderApp("/albums/3?sort=date");
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent("/login"));
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Username"), "admin");
    await user.type(screen.getByLabelText("Password"), "pw");
    await user.click(screen.getByRole("button", { name: "Log in" }));
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent(/^\/albums\/3$/));
    expect(screen.getByTestId("location-search")).toHaveTextContent("?sort=date");
  });
});
