import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import {
  API_TOKEN,
  IDLE_SUMMARY,
  MANAGED_ADMIN,
  MANAGED_MEMBER,
  MEMBER_SESSION,
  SIGNED_IN_SESSION,
  fakeApi,
  json,
} from "../test/fakeApi";
import { renderApp } from "../test/render";

const base = {
  "GET /api/auth/session": () => json(SIGNED_IN_SESSION),
  "GET /api/jobs/summary": () => json(IDLE_SUMMARY),
};

describe("UsersPage", () => {
  it("lists users and shows the server's refusal to demote the last admin", async () => {
    const user = userEvent.setup();
    const seen = fakeApi({
      ...base,
      "GET /api/users": () => json([MANAGED_ADMIN, MANAGED_MEMBER]),
      "PATCH /api/users/1": () => json({ detail: "You cannot remove the last administrator." }, 400),
    });
    renderApp("/users");
    const row = await screen.findByTestId("user-1");
    expect(within(row).getByText("Admin")).toBeInTheDocument();
    expect(within(screen.getByTestId("user-2")).getByText("Never")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Users" })).toBeInTheDocument();

    await user.click(within(row).getByRole("button", { name: "Remove admin" }));
    await user.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Remove admin" }));
    expect(await screen.findByText("Could not change admin. You cannot remove the last administrator.")).toBeInTheDocument();
    const patch = seen.find((r) => r.method === "PATCH");
    expect(await patch?.json()).toEqual({ is_admin: false });
  });

  it("creates a user after checking the confirmation", async () => {
    const user = userEvent.setup();
    const bodies: unknown[] = [];
    fakeApi({
      ...base,
      "GET /api/users": () => json([MANAGED_ADMIN]),
      "POST /api/users": async (request) => {
        bodies.push(await request.json());
        return json({ ...MANAGED_MEMBER, username: "ann" }, 201);
      },
    });
    renderApp("/users");
    await user.click(await screen.findByRole("button", { name: "New user" }));
    await user.type(screen.getByLabelText("Username"), "ann");
    await user.type(screen.getByLabelText("Password"), "long-secret");
    await user.type(screen.getByLabelText("Confirm password"), "long-secreT");
    await user.click(screen.getByRole("button", { name: "Create user" }));
    expect(await screen.findByText("Passwords do not match.")).toBeInTheDocument();
    expect(bodies).toEqual([]);
    await user.clear(screen.getByLabelText("Confirm password"));
    await user.type(screen.getByLabelText("Confirm password"), "long-secret");
    await user.click(screen.getByRole("button", { name: "Create user" }));
    expect(await screen.findByText("ann can now sign in.")).toBeInTheDocument();
    expect(bodies).toEqual([{ username: "ann", password: "long-secret", is_admin: false }]);
  });

  it("is for administrators only", async () => {
    fakeApi({ ...base, "GET /api/auth/session": () => json(MEMBER_SESSION) });
    renderApp("/users");
    expect(await screen.findByText("Only administrators can manage users.")).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Users" })).not.toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Account" })).toBeInTheDocument();
  });
});

describe("AccountPage", () => {
  it("shows a new token once, copies it, and forgets it when dismissed", async () => {
    const user = userEvent.setup();
    let tokens = [API_TOKEN];
    fakeApi({
      ...base,
      "GET /api/tokens": () => json(tokens),
      "POST /api/tokens": () => {
        const created = { ...API_TOKEN, id: 6, name: "phone", prefix: "phx_cd34" };
        tokens = [...tokens, created];
        return json({ ...created, token: "phx_cd34_the-whole-secret" }, 201);
      },
    });
    renderApp("/account");
    expect(await screen.findByText("backup script")).toBeInTheDocument();
    await user.type(screen.getByLabelText("New token name"), "phone");
    await user.click(screen.getByRole("button", { name: "Create token" }));
    expect(await screen.findByTestId("new-token")).toHaveTextContent("phx_cd34_the-whole-secret");
    expect(screen.getByText(/shown only this once/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Copy" }));
    expect(await screen.findByRole("button", { name: "Copied" })).toBeInTheDocument();
    await expect(navigator.clipboard.readText()).resolves.toBe("phx_cd34_the-whole-secret");
    expect(await screen.findByTestId("token-6")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "I have saved it" }));
    expect(screen.queryByTestId("token-reveal")).not.toBeInTheDocument();
    expect(screen.queryByText(/the-whole-secret/)).not.toBeInTheDocument();
  });

  it("checks the confirmation, then maps a wrong current password to its field", async () => {
    const user = userEvent.setup();
    const seen = fakeApi({
      ...base,
      "GET /api/tokens": () => json([]),
      "POST /api/auth/password": () => json({ old_password: ["Your current password is not this one."] }, 400),
    });
    renderApp("/account");
    await user.type(await screen.findByLabelText("Current password"), "old");
    await user.type(screen.getByLabelText("New password"), "new-secret");
    await user.type(screen.getByLabelText("Confirm new password"), "new-secrex");
    await user.click(screen.getByRole("button", { name: "Change password" }));
    expect(await screen.findByText("Passwords do not match.")).toBeInTheDocument();
    expect(seen.some((r) => r.url.endsWith("/api/auth/password"))).toBe(false);

    await user.clear(screen.getByLabelText("Confirm new password"));
    await user.type(screen.getByLabelText("Confirm new password"), "new-secret");
    await user.click(screen.getByRole("button", { name: "Change password" }));
    expect(await screen.findByText("Your current password is not this one.")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText("Current password")).toHaveAttribute("aria-invalid", "true"));
  });

  it("revokes a token after confirming", async () => {
    const user = userEvent.setup();
    let tokens = [API_TOKEN];
    fakeApi({
      ...base,
      "GET /api/tokens": () => json(tokens),
      "DELETE /api/tokens/5": () => {
        tokens = [];
        return new Response(null, { status: 204 });
      },
    });
    renderApp("/account");
    await user.click(await screen.findByRole("button", { name: "Revoke backup script" }));
    await user.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Revoke token" }));
    expect(await screen.findByText("No API tokens.")).toBeInTheDocument();
  });
});
