import { describe, expect, it } from "vitest";
import { ApiError, errorMessage, fieldErrorsOf, formErrorOf, NETWORK_ERROR_MESSAGE } from "./errors";

describe("fieldErrorsOf", () => {
  it("joins DRF's lists of messages per field", () => {
    expect(
      fieldErrorsOf({
        password: ["This password is too short.", "This password is too common."],
        username: ["A user with that username already exists."],
      }),
    ).toEqual({
      password: "This password is too short. This password is too common.",
      username: "A user with that username already exists.",
    });
  });

  it("leaves form-level keys and junk out", () => {
    expect(fieldErrorsOf({ detail: "x", non_field_errors: ["y"], n: 3 })).toEqual({});
    expect(fieldErrorsOf("<html>502</html>")).toEqual({});
    expect(fieldErrorsOf(null)).toEqual({});
  });
});

describe("formErrorOf", () => {
  it("prefers detail, then non_field_errors", () => {
    expect(formErrorOf({ detail: "Wrong username or password." })).toBe("Wrong username or password.");
    expect(formErrorOf({ non_field_errors: ["Nope."] })).toBe("Nope.");
    expect(formErrorOf({ password: ["Short."] })).toBeUndefined();
  });
});

describe("errorMessage", () => {
  it("uses the server's words for a client error", () => {
    expect(errorMessage(new ApiError(400, { detail: "Wrong username or password." }))).toBe(
      "Wrong username or password.",
    );
  });

  it("explains throttling even without a body", () => {
    expect(errorMessage(new ApiError(429, ""))).toMatch(/too many attempts/i);
  });

  it("does not show a server error page's HTML", () => {
    expect(errorMessage(new ApiError(502, "<html>Bad gateway</html>"))).toBe(
      "The server had a problem (HTTP 502). Try again in a moment.",
    );
  });

  it("calls anything that is not an answer a network failure", () => {
    expect(errorMessage(new TypeError("Failed to fetch"))).toBe(NETWORK_ERROR_MESSAGE);
  });
});
