import { describe, expect, it } from "vitest";
import { ssoErrorMessage, ssoHref } from "./sso";

describe("sso", () => {
  it("explains known refusals and never shows an unknown code", () => {
    expect(ssoErrorMessage(null)).toBeUndefined();
    expect(ssoErrorMessage("email_unverified")).toMatch(/not verified your e-mail/);
    expect(ssoErrorMessage("<script>")).toBe("Single sign-on failed. Try again.");
  });

  it("carries the page asked for", () => {
    expect(ssoHref("/auth/oidc/login", "/")).toBe("/auth/oidc/login");
    expect(ssoHref("/auth/oidc/login", "/albums/3?sort=date")).toBe(
      "/auth/oidc/login?next=%2Falbums%2F3%3Fsort%3Ddate",
    );
  });
});
