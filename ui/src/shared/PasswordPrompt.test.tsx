import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { IDLE_SUMMARY, SIGNED_IN_SESSION, fakeApi, json } from "../test/fakeApi";
import { renderApp } from "../test/render";

const PASSWORD_REQUIRED = { detail: "Enter your password again to do this.", code: "password_required" };
const CREATED = { id: 6, name: "phone", prefix: "pnx_cd34", created_at: "2024-05-01T10:00:00Z", last_used_at: null };

/** The Account page, whose token creation the server refuses until the password is confirmed. */
function accountPage() {
  let confirmed = false;
  const seen = fakeApi({
    "GET /api/auth/session": () => json(SIGNED_IN_SESSION),
    "GET /api/jobs/summary": () => json(IDLE_SUMMARY),
    "GET /api/tokens": () => json([]),
    "POST /api/tokens": () => (confirmed ? json({ ...CREATED, token: "pnx_cd34_the-whole-secret" }, 201) : json(PASSWORD_REQUIRED, 403)),
    "POST /api/auth/confirm-password": async (request) => {
      const { password } = (await request.json()) as { password: string };
      if (password !== "my password") return json({ password: ["Wrong password."] }, 400);
      confirmed = true;
      return new Response(null, { status: 204 });
    },
  });
  renderApp("/account");
  return seen;
}

async function createToken(user: ReturnType<typeof userEvent.setup>) {
  await user.type(await screen.findByLabelText("New token name"), "phone");
  await user.click(screen.getByRole("button", { name: "Create token" }));
  return screen.findByRole("dialog", { name: "Confirm your password" });
}

describe("PasswordPrompt", () => {
  it("asks for the password, says when it is wrong, and then makes the change", async () => {
    const user = userEvent.setup();
    const seen = accountPage();
    const dialog = await createToken(user);
    const field = within(dialog).getByLabelText("Your password");
    await waitFor(() => expect(field).toHaveFocus());

    await user.type(field, "a guess");
    await user.click(within(dialog).getByRole("button", { name: "Confirm" }));
    expect(await within(dialog).findByText("Wrong password.")).toBeInTheDocument();
    expect(field).toHaveAttribute("aria-invalid", "true");

    await user.clear(field);
    await user.type(field, "my password{Enter}");
    expect(await screen.findByTestId("new-token")).toHaveTextContent("pnx_cd34_the-whole-secret");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    const calls = seen.filter((r) => r.method === "POST").map((r) => new URL(r.url).pathname);
    expect(calls).toEqual([
      "/api/tokens",
      "/api/auth/confirm-password",
      "/api/auth/confirm-password",
      "/api/tokens",
    ]);
  });

  it("closes on Escape, and the change is refused with the server's reason", async () => {
    const user = userEvent.setup();
    const seen = accountPage();
    await createToken(user);
    await user.keyboard("{Escape}");
    expect(await screen.findByRole("alert")).toHaveTextContent("Enter your password again to do this.");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(seen.filter((r) => r.method === "POST")).toHaveLength(1);
  });
});
