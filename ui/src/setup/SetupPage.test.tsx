import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ADMIN, fakeApi, HEALTHY, json, SETUP_SESSION, SIGNED_IN_SESSION } from "../test/fakeApi";
import { renderApp } from "../test/render";

async function fillForm(password = "correct horse", confirm = password) {
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText("Username"), "admin");
  await user.type(screen.getByLabelText("Password"), password);
  await user.type(screen.getByLabelText("Confirm password"), confirm);
  return user;
}

describe("SetupPage", () => {
  it("is where a fresh install starts", async () => {
    fakeApi({ "GET /api/auth/session": () => json(SETUP_SESSION) });
    renderApp("/");
    expect(await screen.findByRole("heading", { name: "Welcome to Photonix" })).toBeInTheDocument();
    expect(screen.getByTestId("location")).toHaveTextContent("/setup");
  });

  it("shows mismatched passwords without asking the server", async () => {
    const seen = fakeApi({ "GET /api/auth/session": () => json(SETUP_SESSION) });
    renderApp("/setup");
    const user = await fillForm("correct horse", "correct hose");
    await user.click(screen.getByRole("button", { name: "Create admin account" }));
    const confirm = screen.getByLabelText("Confirm password");
    expect(confirm).toHaveAccessibleDescription("Passwords do not match.");
    expect(confirm).toHaveAttribute("aria-invalid", "true");
    expect(confirm).toHaveFocus();
    expect(seen.filter((r) => r.method === "POST")).toHaveLength(0);
  });

  it("creates the admin with the CSRF token and goes on to the first library", async () => {
    document.cookie = "csrftoken=tok; path=/";
    let session = SETUP_SESSION;
    const seen = fakeApi({
      "GET /api/auth/session": () => json(session),
      "POST /api/setup": () => {
        session = SIGNED_IN_SESSION;
        return json(ADMIN, 201);
      },
      "GET /api/health": () => json(HEALTHY),
      "GET /api/libraries": () => json([]),
      "GET /api/classifiers": () => json([]),
      "GET /api/server/folders": () => json({ detail: "no" }, 400),
    });
    renderApp("/setup");
    const user = await fillForm();
    await user.type(screen.getByLabelText("Email (optional)"), "me@example.org");
    await user.click(screen.getByRole("button", { name: "Create admin account" }));

    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent("/welcome"));
    expect(await screen.findByRole("heading", { name: "Set up your first library" })).toBeInTheDocument();
    const post = seen.find((r) => r.method === "POST");
    expect(post?.headers.get("X-CSRFToken")).toBe("tok");
    expect(await post?.json()).toEqual({
      username: "admin",
      password: "correct horse",
      email: "me@example.org",
    });
  });

  it("shows the server's validation errors beside the fields", async () => {
    fakeApi({
      "GET /api/auth/session": () => json(SETUP_SESSION),
      "POST /api/setup": () =>
        json({ password: ["This password is too short. It must contain at least 8 characters."] }, 400),
    });
    renderApp("/setup");
    const user = await fillForm("short", "short");
    await user.click(screen.getByRole("button", { name: "Create admin account" }));
    const password = screen.getByLabelText("Password");
    await waitFor(() =>
      expect(password).toHaveAccessibleDescription(/This password is too short/),
    );
    expect(password).toHaveFocus();
  });

  it("says clearly when the server cannot be reached", async () => {
    fakeApi({ "GET /api/auth/session": () => json(SETUP_SESSION) });
    renderApp("/setup");
    const user = await fillForm();
    vi.mocked(globalThis.fetch).mockRejectedValueOnce(new TypeError("Failed to fetch"));
    await user.click(screen.getByRole("button", { name: "Create admin account" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(/could not reach the photonix server/i);
    expect(screen.getByTestId("location")).toHaveTextContent("/setup");
  });

  it("offers the login page when setup was already done elsewhere", async () => {
    let session = SETUP_SESSION;
    fakeApi({
      "GET /api/auth/session": () => json(session),
      "POST /api/setup": () => {
        session = { ...SETUP_SESSION, setup_required: false };
        return json({ detail: "Photonix is already set up; sign in instead." }, 409);
      },
    });
    renderApp("/setup");
    const user = await fillForm();
    await user.click(screen.getByRole("button", { name: "Create admin account" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("already set up");
    await user.click(screen.getByRole("button", { name: "Go to the login page" }));
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent("/login"));
  });
});
