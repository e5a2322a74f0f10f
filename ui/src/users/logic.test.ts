import { describe, expect, it } from "vitest";
import { ApiError, NETWORK_ERROR_MESSAGE } from "../api/errors";
import {
  EMPTY_NEW_USER,
  EMPTY_PASSWORD_CHANGE,
  PASSWORD_MISMATCH,
  REVEAL_HIDDEN,
  formatWhen,
  hasErrors,
  mapServerError,
  revealReducer,
  userChangeError,
  validateConfirm,
  validateNewUser,
  validatePasswordChange,
} from "./logic";

describe("validatePasswordChange", () => {
  it("asks for every field", () => {
    const errors = validatePasswordChange(EMPTY_PASSWORD_CHANGE);
    expect(errors.oldPassword).toBeTruthy();
    expect(errors.newPassword).toBeTruthy();
    expect(errors.confirmPassword).toBeUndefined(); // nothing to confirm yet
  });

  it("refuses a confirmation that differs", () => {
    const errors = validatePasswordChange({ oldPassword: "old", newPassword: "new-secret", confirmPassword: "new-secreT" });
    expect(errors).toEqual({ confirmPassword: PASSWORD_MISMATCH });
  });

  it("asks for the confirmation and refuses the same password again", () => {
    expect(validatePasswordChange({ oldPassword: "a", newPassword: "b", confirmPassword: "" }).confirmPassword).toBe(
      "Type the password again.",
    );
    expect(validatePasswordChange({ oldPassword: "same", newPassword: "same", confirmPassword: "same" }).newPassword).toMatch(
      /different/,
    );
  });

  it("passes a matching pair", () => {
    const errors = validatePasswordChange({ oldPassword: "old", newPassword: "new-secret", confirmPassword: "new-secret" });
    expect(hasErrors(errors)).toBe(false);
  });
});

describe("validateConfirm and validateNewUser", () => {
  it("compares exactly, spaces included", () => {
    expect(validateConfirm("pw ", "pw")).toBe(PASSWORD_MISMATCH);
    expect(validateConfirm("pw", "pw")).toBeUndefined();
  });

  it("checks the new user form", () => {
    expect(validateNewUser(EMPTY_NEW_USER)).toEqual({ username: "Choose a username.", password: "Choose a password." });
    const values = { ...EMPTY_NEW_USER, username: "ann", email: "nope", password: "x", confirmPassword: "y" };
    expect(validateNewUser(values)).toEqual({
      email: "Enter a valid email address, or leave it empty.",
      confirmPassword: PASSWORD_MISMATCH,
    });
  });
});

describe("revealReducer: the token is shown once", () => {
  it("shows a new token, marks it copied, and forgets it when dismissed", () => {
    let state = revealReducer(REVEAL_HIDDEN, { type: "created", name: "cli", token: "phx_secret" });
    expect(state).toEqual({ kind: "shown", name: "cli", token: "phx_secret", copied: false });
    state = revealReducer(state, { type: "copied" });
    expect(state).toMatchObject({ copied: true });
    state = revealReducer(state, { type: "dismissed" });
    expect(state).toEqual(REVEAL_HIDDEN);
    expect(JSON.stringify(state)).not.toContain("phx_secret");
  });

  it("ignores a copy with nothing shown, and a second token replaces the first", () => {
    expect(revealReducer(REVEAL_HIDDEN, { type: "copied" })).toBe(REVEAL_HIDDEN);
    const first = revealReducer(REVEAL_HIDDEN, { type: "created", name: "a", token: "one" });
    const copied = revealReducer(first, { type: "copied" });
    expect(revealReducer(copied, { type: "created", name: "b", token: "two" })).toEqual({
      kind: "shown",
      name: "b",
      token: "two",
      copied: false,
    });
  });
});

describe("error mapping", () => {
  it("puts field errors beside their fields and the rest in the message", () => {
    const error = new ApiError(400, {
      old_password: ["Your current password is not this one."],
      other: ["Something else."],
    });
    expect(mapServerError(error, { old_password: "oldPassword" })).toEqual({
      fields: { oldPassword: "Your current password is not this one." },
      message: "Something else.",
    });
  });

  it("has no form message when every error has a field", () => {
    const error = new ApiError(400, { new_password: ["This password is too short.", "It is too common."] });
    expect(mapServerError(error, { new_password: "newPassword" })).toEqual({
      fields: { newPassword: "This password is too short. It is too common." },
      message: undefined,
    });
  });

  it("keeps the server's words for a refused role change", () => {
    const error = new ApiError(400, { detail: "You cannot remove the last administrator." });
    expect(userChangeError(error, "admin")).toBe("Could not change admin. You cannot remove the last administrator.");
  });

  it("explains a dropped connection, a 403 and a bare 400", () => {
    expect(userChangeError(new TypeError("fetch failed"), "ann")).toBe(`Could not change ann. ${NETWORK_ERROR_MESSAGE}`);
    expect(mapServerError(new ApiError(403, { detail: "Sign in with your password for this; API tokens cannot do it." }), {}).message).toBe(
      "Sign in with your password for this; API tokens cannot do it.",
    );
    expect(mapServerError(new ApiError(400, {}), {}).message).toBe("The request failed (HTTP 400).");
  });
});

describe("formatWhen", () => {
  it("says never for a missing date", () => {
    expect(formatWhen(null)).toBe("Never");
    expect(formatWhen("2024-05-01T09:30:00Z")).toMatch(/2024/);
  });
});
