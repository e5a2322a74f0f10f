import { describe, expect, it } from "vitest";
import {
  EMPTY_SETUP,
  hasErrors,
  PASSWORD_MISMATCH,
  splitServerErrors,
  toSetupRequest,
  validateSetup,
} from "./validation";

const valid = { username: "admin", password: "correct horse", confirmPassword: "correct horse", email: "" };

describe("validateSetup", () => {
  it("accepts a complete form with or without an email", () => {
    expect(hasErrors(validateSetup(valid))).toBe(false);
    expect(hasErrors(validateSetup({ ...valid, email: "me@example.org" }))).toBe(false);
  });

  it("asks for everything on an empty form except the email", () => {
    const errors = validateSetup(EMPTY_SETUP);
    expect(Object.keys(errors).sort()).toEqual(["password", "username"]);
  });

  it("catches mismatched passwords", () => {
    expect(validateSetup({ ...valid, confirmPassword: "correct horsE" }).confirmPassword).toBe(
      PASSWORD_MISMATCH,
    );
  });

  it("asks for the confirmation when it was left empty", () => {
    expect(validateSetup({ ...valid, confirmPassword: "" }).confirmPassword).toBe(
      "Type the password again.",
    );
  });

  it("does not accept a username of spaces or over Django's limit", () => {
    expect(validateSetup({ ...valid, username: "   " }).username).toBeDefined();
    expect(validateSetup({ ...valid, username: "a".repeat(151) }).username).toMatch(/150/);
  });

  it("catches an obviously broken email but leaves the rest to the server", () => {
    expect(validateSetup({ ...valid, email: "not an email" }).email).toBeDefined();
    expect(validateSetup({ ...valid, email: "root@localhost" }).email).toBeUndefined();
  });

  it("leaves password strength to the server", () => {
    expect(validateSetup({ ...valid, password: "a", confirmPassword: "a" })).toEqual({});
  });
});

describe("toSetupRequest", () => {
  it("trims the username and email and drops an empty email", () => {
    expect(toSetupRequest({ ...valid, username: " admin ", email: "  " })).toEqual({
      username: "admin",
      password: "correct horse",
    });
    expect(toSetupRequest({ ...valid, email: " me@example.org " }).email).toBe("me@example.org");
  });

  it("never trims the password", () => {
    expect(toSetupRequest({ ...valid, password: " pw " }).password).toBe(" pw ");
  });
});

describe("splitServerErrors", () => {
  it("puts known fields beside their input and the rest in one message", () => {
    expect(splitServerErrors({ password: "Too short.", first_name: "Bad." })).toEqual({
      fields: { password: "Too short." },
      other: "first_name: Bad.",
    });
  });
});
