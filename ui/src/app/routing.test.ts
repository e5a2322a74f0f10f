import { describe, expect, it } from "vitest";
import { redirectFor } from "./routing";

const user = { id: 1, username: "admin", is_admin: true };
const setup = { authenticated: false, setup_required: true, user: null };
const signedOut = { authenticated: false, setup_required: false, user: null };
const signedIn = { authenticated: true, setup_required: false, user };

describe("redirectFor", () => {
  it.each(["/", "/login", "/albums/3"])("sends %s to /setup before setup is done", (path) => {
    expect(redirectFor(setup, path)).toEqual({ to: "/setup" });
  });

  it("stays on /setup before setup is done", () => {
    expect(redirectFor(setup, "/setup")).toBeNull();
  });

  it("sends a signed-out person to /login, remembering a deep link", () => {
    expect(redirectFor(signedOut, "/")).toEqual({ to: "/login" });
    expect(redirectFor(signedOut, "/setup")).toEqual({ to: "/login" });
    expect(redirectFor(signedOut, "/albums/3")).toEqual({ to: "/login", from: "/albums/3" });
    expect(redirectFor(signedOut, "/login")).toBeNull();
  });

  it("remembers a deep link's query string, the timeline's filters too", () => {
    expect(redirectFor(signedOut, "/", undefined, "?q=beach")).toEqual({ to: "/login", from: "/?q=beach" });
    expect(redirectFor(signedOut, "/photos/4", undefined, "?tag=cat")).toEqual({
      to: "/login",
      from: "/photos/4?tag=cat",
    });
    expect(redirectFor(signedIn, "/login", "/?q=beach")).toEqual({ to: "/?q=beach" });
    expect(redirectFor(signedIn, "/login", "/login?x=1")).toEqual({ to: "/" });
  });

  it("sends a signed-in person away from /login and /setup", () => {
    expect(redirectFor(signedIn, "/login")).toEqual({ to: "/" });
    expect(redirectFor(signedIn, "/setup")).toEqual({ to: "/welcome" });
    expect(redirectFor({ ...signedIn, user: { ...user, is_admin: false } }, "/setup")).toEqual({ to: "/" });
    expect(redirectFor(signedIn, "/login", "/albums/3")).toEqual({ to: "/albums/3" });
  });

  it("never follows a remembered path off the site or back to /login", () => {
    expect(redirectFor(signedIn, "/login", "//evil.example")).toEqual({ to: "/" });
    expect(redirectFor(signedIn, "/login", "https://evil.example")).toEqual({ to: "/" });
    expect(redirectFor(signedIn, "/login", "/login")).toEqual({ to: "/" });
  });

  it("lets a signed-in person stay anywhere else", () => {
    expect(redirectFor(signedIn, "/")).toBeNull();
    expect(redirectFor(signedIn, "/nowhere")).toBeNull();
    expect(redirectFor(signedIn, "/welcome")).toBeNull();
  });
});
