import { describe, expect, it } from "vitest";
import { ApiError } from "../api/errors";
import {
  TooManyAttempts,
  formatAperture,
  formatFocal,
  neighbour,
  photoParam,
  retryAfterSeconds,
  shareImageUrl,
  shareOriginalUrl,
  shareZipUrl,
  shareState,
  unlockProblem,
} from "./logic";

describe("shareState", () => {
  it("is locked or open from the info, missing on 404, an error otherwise", () => {
    expect(shareState({ isPending: true, error: null })).toBe("loading");
    expect(shareState({ isPending: false, error: null, data: { locked: true } })).toBe("locked");
    expect(shareState({ isPending: false, error: null, data: { locked: false } })).toBe("open");
    expect(shareState({ isPending: false, error: new ApiError(404, { detail: "Not found." }) })).toBe("missing");
    expect(shareState({ isPending: false, error: new ApiError(500, null) })).toBe("error");
    expect(shareState({ isPending: false, error: new TypeError("offline") })).toBe("error");
  });
});

describe("unlock", () => {
  it("reads Retry-After in seconds or as a date, else from the message", () => {
    expect(retryAfterSeconds("42")).toBe(42);
    expect(retryAfterSeconds("0")).toBe(1);
    const now = Date.parse("2025-05-10T12:00:00Z");
    expect(retryAfterSeconds("Sat, 10 May 2025 12:00:30 GMT", undefined, now)).toBe(30);
    expect(retryAfterSeconds(null, "Too many attempts. Try again in 17 seconds.")).toBe(17);
    expect(retryAfterSeconds(null)).toBe(60);
  });

  it("tells wrong passwords, too many attempts and other failures apart", () => {
    expect(unlockProblem(new ApiError(400, { detail: "Wrong password." }))).toEqual({
      message: "Wrong password. Try again.",
      wait: null,
    });
    expect(unlockProblem(new TooManyAttempts({ detail: "…" }, 25))).toEqual({
      message: "Too many attempts. Try again in 25 s.",
      wait: 25,
    });
    expect(unlockProblem(new ApiError(503, { detail: "Passwords cannot be checked right now; try again later." })).message).toBe(
      "Passwords cannot be checked right now; try again later.",
    );
    expect(unlockProblem(new ApiError(404, null)).message).toBe("This link no longer exists.");
    expect(unlockProblem(new TypeError("offline")).message).toMatch(/Could not reach/);
  });
});

describe("addresses", () => {
  it("stay under the share", () => {
    expect(shareImageUrl("tok_en-1", 5, "grid", 3)).toBe("/api/share/tok_en-1/photos/5/thumbnail/grid?v=3");
    expect(shareImageUrl("t", 5, "preview", 2)).toBe("/api/share/t/photos/5/thumbnail/preview?v=2");
    expect(shareOriginalUrl("t", 9)).toBe("/api/share/t/photos/9/original");
    expect(shareZipUrl("a/b")).toBe("/api/share/a%2Fb/download");
  });
});

describe("viewer helpers", () => {
  it("steps through the loaded ids", () => {
    expect(neighbour([1, 2, 3], 2, 1)).toBe(3);
    expect(neighbour([1, 2, 3], 2, -1)).toBe(1);
    expect(neighbour([1, 2, 3], 3, 1)).toBeNull();
    expect(neighbour([1, 2, 3], 9, 1)).toBeNull();
  });

  it("reads only positive integer photo ids from the URL", () => {
    expect(photoParam("12")).toBe(12);
    expect(photoParam(null)).toBeNull();
    expect(photoParam("0")).toBeNull();
    expect(photoParam("1e3")).toBeNull();
    expect(photoParam("../1")).toBeNull();
  });

  it("words exposure facts", () => {
    expect(formatAperture(2.8)).toBe("f/2.8");
    expect(formatFocal(35, 52.5)).toBe("35 mm (53 mm equiv.)");
    expect(formatFocal(50, 50)).toBe("50 mm");
  });
});
