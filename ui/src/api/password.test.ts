import { describe, expect, it, vi } from "vitest";
import { createApiClient } from "./client";
import { CSRF_HEADER } from "./csrf";
import { askForPassword, setPasswordPrompt } from "./password";

const PASSWORD_REQUIRED = { detail: "Enter your password again to do this.", code: "password_required" };
const TOKEN = { id: 6, name: "phone", prefix: "pnx_abcd1234", created_at: "", last_used_at: null, token: "pnx_secret" };

function json(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** A client whose server gives the answers in order, and what it was sent. */
function clientAnswering(answers: Response[], ask: () => Promise<boolean>) {
  const seen: { method: string; path: string; body: string; csrf: string | null }[] = [];
  document.cookie = "csrftoken=tok-1; path=/";
  const client = createApiClient({
    baseUrl: "http://localhost:3000",
    askPassword: ask,
    fetch: async (request) => {
      seen.push({
        method: request.method,
        path: new URL(request.url).pathname,
        body: await request.text(),
        csrf: request.headers.get(CSRF_HEADER),
      });
      return answers.shift() ?? json({ detail: "unexpected" }, 500);
    },
  });
  return { client, seen };
}

describe("a change refused until the password is entered again", () => {
  it("asks for the password, then sends the same request once more", async () => {
    const ask = vi.fn(() => Promise.resolve(true));
    const { client, seen } = clientAnswering([json(PASSWORD_REQUIRED, 403), json(TOKEN, 201)], ask);
    const result = await client.POST("/api/tokens", { body: { name: "phone" } });
    expect(ask).toHaveBeenCalledOnce();
    expect(result.response.status).toBe(201);
    expect(result.data).toEqual(TOKEN);
    expect(seen).toEqual([
      { method: "POST", path: "/api/tokens", body: '{"name":"phone"}', csrf: "tok-1" },
      { method: "POST", path: "/api/tokens", body: '{"name":"phone"}', csrf: "tok-1" },
    ]);
  });

  it("gives the refusal to the caller when the person declines", async () => {
    const ask = vi.fn(() => Promise.resolve(false));
    const { client, seen } = clientAnswering([json(PASSWORD_REQUIRED, 403)], ask);
    const result = await client.POST("/api/tokens", { body: { name: "phone" } });
    expect(ask).toHaveBeenCalledOnce();
    expect(result.response.status).toBe(403);
    expect(result.error).toEqual(PASSWORD_REQUIRED);
    expect(seen).toHaveLength(1);
  });

  it("sends it again only once", async () => {
    const ask = vi.fn(() => Promise.resolve(true));
    const { client, seen } = clientAnswering([json(PASSWORD_REQUIRED, 403), json(PASSWORD_REQUIRED, 403)], ask);
    const result = await client.PATCH("/api/users/{user_id}", { params: { path: { user_id: 2 } }, body: { is_admin: true } });
    expect(result.response.status).toBe(403);
    expect(ask).toHaveBeenCalledOnce();
    expect(seen).toHaveLength(2);
  });

  it("leaves other refusals alone", async () => {
    const ask = vi.fn(() => Promise.resolve(true));
    const tokenRefusal = { detail: "Sign in with your password for this; API tokens cannot do it." };
    const { client, seen } = clientAnswering([json(tokenRefusal, 403)], ask);
    const result = await client.POST("/api/users", { body: { username: "ann", password: "long-secret", is_admin: false } });
    expect(result.error).toEqual(tokenRefusal);
    expect(ask).not.toHaveBeenCalled();
    expect(seen).toHaveLength(1);
  });
});

describe("askForPassword", () => {
  it("declines when no dialog is there to ask", async () => {
    setPasswordPrompt(null);
    await expect(askForPassword()).resolves.toBe(false);
  });

  it("asks once for requests refused at the same time", async () => {
    let answer: (confirmed: boolean) => void = () => undefined;
    const prompt = vi.fn(() => new Promise<boolean>((resolve) => (answer = resolve)));
    setPasswordPrompt(prompt);
    const both = Promise.all([askForPassword(), askForPassword()]);
    answer(true);
    await expect(both).resolves.toEqual([true, true]);
    expect(prompt).toHaveBeenCalledOnce();
    setPasswordPrompt(null);
  });
});
