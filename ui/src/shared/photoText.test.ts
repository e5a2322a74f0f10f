import { afterEach, describe, expect, it, vi } from "vitest";
import { photoAlt } from "./photoText";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("photoAlt", () => {
  it("says what a photo shows and when, in the reader's language", () => {
    vi.spyOn(navigator, "language", "get").mockReturnValue("en-US");
    expect(photoAlt({ caption: "Beach with Anna in Lisbon, Portugal", taken_at: "2026-12-07T14:41:00+01:00" })).toBe(
      "Beach with Anna in Lisbon, Portugal, Dec 7, 2026",
    );
    expect(photoAlt({ caption: "", taken_at: "2014-09-19T10:00:00" })).toBe("Photo taken Sep 19, 2014");
    expect(photoAlt({ caption: "Cat", taken_at: null })).toBe("Cat");
    expect(photoAlt({ taken_at: null })).toBe("Photo without a date");
    expect(photoAlt({ caption: "Cat", taken_at: null, failed: true })).toBe("Cat (could not be shown)");
  });
});
