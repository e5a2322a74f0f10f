import { describe, expect, it } from "vitest";
import { createApiClient } from "./client";
import { CSRF_HEADER, csrfMiddleware, readCookie } from "./csrf";

describe("readCookie", () => {
  it("finds a cookie among others, ignoring spaces", () => {
    expect(readCookie("csrftoken", "sessionid=abc; csrftoken=tok123; theme=dark")).toBe("tok123");
  });

  it("does not match a cookie whose name merely ends with the one asked for", () => {
    expect(readCookie("csrftoken", "xcsrftoken=nope")).toBeNull();
  });

  it("returns null when missing or empty", () => {
    expect(readCookie("csrftoken", "")).toBeNull();
    expect(readCookie("csrftoken", "csrftoken=")).toBeNull();
  });

  it("decodes encoded values and keeps malformed ones as they are", () => {
    expect(readCookie("a", "a=x%20y")).toBe("x y");
    expect(readCookie("a", "a=%E0%A4%A")).toBe("%E0%A4%A");
  });

  it("keeps '=' inside the value", () => {
    expect(readCookie("a", "a=b=c")).toBe("b=c");
  });

  it("reads document.cookie by default", () => {
    document.cookie = "csrftoken=fromdoc; path=/";
    expect(readCookie("csrftoken")).toBe("fromdoc");
  });
});

function capturingClient(token: string | null) {
  const seen: Request[] = [];
  const client = createApiClient({
    baseUrl: "http://localhost:3000",
    fetch: (request) => {
      seen.push(request);
      return Promise.resolve(new Response(null, { status: 204 }));
    },
  });
  if (token === null) document.cookie = "csrftoken=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/";
  else document.cookie = `csrftoken=${token}; path=/`;
  return { client, seen };
}

describe("CSRF middleware in the API client", () => {
  it("adds the header from the cookie on unsafe methods", async () => {
    const { client, seen } = capturingClient("tok-1");
    await client.POST("/api/auth/logout");
    expect(seen[0]?.headers.get(CSRF_HEADER)).toBe("tok-1");
    expect(seen[0]?.credentials).toBe("same-origin");
  });

  it("reads the cookie at request time, after Django rotated it", async () => {
    const { client, seen } = capturingClient("before-login");
    await client.POST("/api/auth/logout");
    document.cookie = "csrftoken=after-login; path=/";
    await client.POST("/api/auth/logout");
    expect(seen.map((r) => r.headers.get(CSRF_HEADER))).toEqual(["before-login", "after-login"]);
  });

  it("leaves safe methods alone", async () => {
    const { client, seen } = capturingClient("tok-1");
    await client.GET("/api/auth/session");
    expect(seen[0]?.headers.has(CSRF_HEADER)).toBe(false);
  });

  it("sends no header when there is no cookie", async () => {
    const { client, seen } = capturingClient(null);
    await client.POST("/api/auth/logout");
    expect(seen[0]?.headers.has(CSRF_HEADER)).toBe(false);
  });
});

describe("csrfMiddleware", () => {
  const run = (method: string, url: string) => {
    const middleware = csrfMiddleware({ getToken: () => "t", origin: () => "https://photos.example" });
    const request = new Request(url, { method });
    void middleware.onRequest?.({
      request,
      schemaPath: "",
      params: {},
      id: "1",
      options: {} as never,
    });
    return request.headers.get(CSRF_HEADER);
  };

  it("never sends the token to another origin", () => {
    expect(run("POST", "https://elsewhere.example/api/x")).toBeNull();
    expect(run("POST", "https://photos.example/api/x")).toBe("t");
  });

  it.each(["PUT", "PATCH", "DELETE", "post"])("protects %s", (method) => {
    expect(run(method, "https://photos.example/api/x")).toBe("t");
  });

  it.each(["GET", "HEAD", "OPTIONS"])("skips %s", (method) => {
    expect(run(method, "https://photos.example/api/x")).toBeNull();
  });
});
