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

  it("offers single sign-on, carrying the page asked for", async () => {
    fakeApi({
      "GET /api/auth/session": () =>
        json({
          ...SIGNED_OUT_SESSION,
          sso: { label: "Example ID", login_url: "/auth/oidc/login", password_login: true },
        }),
    });
    renderApp("/albums/3");
    const button = await screen.findByRole("link", { name: "Sign in with Example ID" });
    expect(button).toHaveAttribute("href", "/auth/oidc/login?next=%2Falbums%2F3");
    expect(screen.getByLabelText("Password")).toBeVisible();
  });

  it("explains a refused single sign-on and tucks the password away in SSO-only mode", async () => {
    fakeApi({
      "GET /api/auth/session": () =>
        json({
          ...SIGNED_OUT_SESSION,
          sso: { label: "Example ID", login_url: "/auth/oidc/login", password_login: false },
        }),
    });
    renderApp("/login?sso_error=disabled");
    expect(await screen.findByRole("alert")).toHaveTextContent("This account is disabled.");
    expect(screen.getByRole("link", { name: "Sign in with Example ID" })).toHaveAttribute(
      "href",
      "/auth/oidc/login",
    );
    expect(screen.getByText("Sign in with a password (emergency access)")).toBeVisible();
    expect(screen.getByLabelText("Password")).not.toBeVisible();
  });

  it("shows no single sign-on when it is not set up", async () => {
    fakeApi({ "GET /api/auth/session": () => json(SIGNED_OUT_SESSION) });
    renderApp("/login");
    expect(await screen.findByLabelText("Password")).toBeVisible();
    expect(screen.queryByRole("link", { name: /Sign in with/ })).toBeNull();
  });
});
