import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  NEW_SHARE_FORM,
  createBody,
  downloadNote,
  describeExpiry,
  dropIndex,
  endOfLocalDay,
  expiryDay,
  formFromLink,
  formatDateRange,
  keyboardTarget,
  moveItem,
  patchBody,
  reorderRequest,
  shareUrl,
  validateShareForm,
} from "./logic";

describe("moveItem", () => {
  it("moves forwards and backwards", () => {
    expect(moveItem([1, 2, 3, 4], 0, 2)).toEqual([2, 3, 1, 4]);
    expect(moveItem([1, 2, 3, 4], 3, 0)).toEqual([4, 1, 2, 3]);
    expect(moveItem([1, 2, 3, 4], 1, 1)).toEqual([1, 2, 3, 4]);
  });

  it("clamps the target and ignores an unknown source", () => {
    expect(moveItem([1, 2, 3], 0, 99)).toEqual([2, 3, 1]);
    expect(moveItem([1, 2, 3], 2, -5)).toEqual([3, 1, 2]);
    expect(moveItem([1, 2, 3], 7, 0)).toEqual([1, 2, 3]);
  });

  it("does not change its input", () => {
    const list = [1, 2, 3];
    moveItem(list, 0, 2);
    expect(list).toEqual([1, 2, 3]);
  });
});

describe("dropIndex", () => {
  it("drops before or after the target, counting the gap the item leaves", () => {
    // [a b c d]: a onto c's left half lands between b and c (index 1).
    expect(dropIndex(0, 2, false)).toBe(1);
    expect(dropIndex(0, 2, true)).toBe(2);
    // d onto a's left half becomes first; onto its right half, second.
    expect(dropIndex(3, 0, false)).toBe(0);
    expect(dropIndex(3, 0, true)).toBe(1);
    // Onto its own neighbour's near side: no move.
    expect(dropIndex(1, 2, false)).toBe(1);
    expect(dropIndex(2, 1, true)).toBe(2);
  });

  it("agrees with moveItem", () => {
    const list = ["a", "b", "c", "d", "e"];
    expect(moveItem(list, 4, dropIndex(4, 0, false))).toEqual(["e", "a", "b", "c", "d"]);
    expect(moveItem(list, 0, dropIndex(0, 4, true))).toEqual(["b", "c", "d", "e", "a"]);
    expect(moveItem(list, 1, dropIndex(1, 3, false))).toEqual(["a", "c", "b", "d", "e"]);
  });
});

describe("reorderRequest", () => {
  const order = [10, 20, 30, 40];

  it("sends the whole order, as shown, for the first move in a date-sorted album", () => {
    expect(reorderRequest(order, 40, 0, "taken")).toEqual({ body: { ids: [40, 10, 20, 30] }, order: [40, 10, 20, 30] });
    expect(reorderRequest(order, 10, 2, "-taken")?.body).toEqual({ ids: [20, 30, 10, 40] });
  });

  it("sends one move in a manual album: in front of its new right neighbour", () => {
    expect(reorderRequest(order, 40, 0, "manual")).toEqual({ body: { move: 40, before: 10 }, order: [40, 10, 20, 30] });
    expect(reorderRequest(order, 10, 2, "manual")?.body).toEqual({ move: 10, before: 40 });
  });

  it("moves to the end with before: null", () => {
    expect(reorderRequest(order, 20, 3, "manual")?.body).toEqual({ move: 20, before: null });
  });

  it("is null when nothing changes or the photo is not there", () => {
    expect(reorderRequest(order, 20, 1, "manual")).toBeNull();
    expect(reorderRequest(order, 99, 0, "manual")).toBeNull();
  });
});

describe("keyboardTarget", () => {
  it("steps one with left and right, a row with up and down, clamped", () => {
    expect(keyboardTarget("ArrowLeft", 0, 10, 4)).toBe(0);
    expect(keyboardTarget("ArrowRight", 3, 10, 4)).toBe(4);
    expect(keyboardTarget("ArrowDown", 3, 10, 4)).toBe(7);
    expect(keyboardTarget("ArrowDown", 8, 10, 4)).toBe(9);
    expect(keyboardTarget("ArrowUp", 2, 10, 4)).toBe(0);
    expect(keyboardTarget("Home", 5, 10, 4)).toBe(0);
    expect(keyboardTarget("End", 5, 10, 4)).toBe(9);
    expect(keyboardTarget("a", 5, 10, 4)).toBeNull();
  });
});

// Dates are written in the reader's language; these read British English.
beforeEach(() => {
  vi.spyOn(navigator, "language", "get").mockReturnValue("en-GB");
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** ICU's thin and narrow spaces as plain ones. */
const flat = (text: string) => text.replace(/[\u2009\u202f\u00a0]/g, " ");

describe("formatDateRange", () => {
  it("words single days, months and years compactly", () => {
    expect(formatDateRange(null, null)).toBe("");
    expect(flat(formatDateRange("2008-05-30", "2008-05-30"))).toBe("30 May 2008");
    expect(flat(formatDateRange("2024-01-03", "2024-01-09"))).toBe("3 – 9 Jan 2024");
    expect(flat(formatDateRange("2024-01-28", "2024-03-02"))).toBe("28 Jan – 2 Mar 2024");
    expect(flat(formatDateRange("2023-12-28", "2024-01-02"))).toBe("28 Dec 2023 – 2 Jan 2024");
  });
});

describe("expiry", () => {
  const now = new Date(2025, 4, 10, 12, 0); // 10 May 2025, noon, local time

  it("ends a chosen day at its last local millisecond", () => {
    const end = new Date(endOfLocalDay("2025-05-17") ?? "");
    expect([end.getFullYear(), end.getMonth(), end.getDate(), end.getHours(), end.getMinutes()]).toEqual([2025, 4, 17, 23, 59]);
    expect(endOfLocalDay("17/05/2025")).toBeNull();
    expect(endOfLocalDay("")).toBeNull();
  });

  it("round-trips a day through the field", () => {
    expect(expiryDay(endOfLocalDay("2025-05-17"))).toBe("2025-05-17");
    expect(expiryDay(null)).toBe("");
  });

  it("describes an expiry relative to now", () => {
    expect(flat(describeExpiry(null, now))).toBe("Never expires");
    expect(flat(describeExpiry(endOfLocalDay("2025-05-17"), now))).toBe("Expires in 7 days (17 May 2025)");
    expect(flat(describeExpiry(endOfLocalDay("2025-05-12"), now))).toBe("Expires in 2 days (12 May 2025)");
    expect(flat(describeExpiry(endOfLocalDay("2025-05-11"), now))).toBe("Expires tomorrow (11 May 2025)");
    expect(flat(describeExpiry(new Date(2025, 4, 10, 18, 30).toISOString(), now))).toBe("Expires today at 18:30");
    expect(flat(describeExpiry(new Date(2025, 4, 1, 9).toISOString(), now))).toBe("Expired on 1 May 2025");
  });
});

describe("share form", () => {
  const now = new Date(2025, 4, 10, 12, 0);

  it("accepts the defaults", () => {
    expect(validateShareForm(NEW_SHARE_FORM, now)).toEqual({});
  });

  it("needs a future expiry day when the link expires", () => {
    expect(validateShareForm({ ...NEW_SHARE_FORM, expires: true, expiryDay: "" }, now)).toEqual({
      expiryDay: "Choose the last day the link works.",
    });
    expect(validateShareForm({ ...NEW_SHARE_FORM, expires: true, expiryDay: "2025-05-09" }, now)).toEqual({
      expiryDay: "The expiry date is in the past.",
    });
    // Today still works until midnight.
    expect(validateShareForm({ ...NEW_SHARE_FORM, expires: true, expiryDay: "2025-05-10" }, now)).toEqual({});
  });

  it("needs a password of some length when one is set", () => {
    expect(validateShareForm({ ...NEW_SHARE_FORM, passwordMode: "set", password: "" }, now).password).toMatch(/Enter a password/);
    expect(validateShareForm({ ...NEW_SHARE_FORM, passwordMode: "set", password: "abc" }, now).password).toMatch(/at least 4/);
    expect(validateShareForm({ ...NEW_SHARE_FORM, passwordMode: "set", password: "abcd" }, now)).toEqual({});
    // Keeping the current password needs none typed.
    expect(validateShareForm({ ...NEW_SHARE_FORM, passwordMode: "keep" }, now)).toEqual({});
  });

  it("builds the create body", () => {
    const form = {
      ...NEW_SHARE_FORM,
      label: "  grandma ",
      expires: true,
      expiryDay: "2025-05-17",
      passwordMode: "set" as const,
      password: "secret",
      allowDownload: true,
    };
    expect(createBody(form, { album: 3 })).toEqual({
      album: 3,
      label: "grandma",
      expires_at: endOfLocalDay("2025-05-17"),
      password: "secret",
      allow_download: true,
      show_metadata: true,
      show_location: false,
      strip_metadata: false,
    });
    expect(createBody(NEW_SHARE_FORM, { photo_ids: [1, 2] })).toMatchObject({ photo_ids: [1, 2], expires_at: null, password: null });
  });

  it("patches the password only when it changes", () => {
    const link = {
      label: "x",
      expires_at: null,
      has_password: true,
      allow_download: false,
      show_metadata: true,
      show_location: true,
      strip_metadata: false,
    };
    const form = formFromLink(link);
    expect(form.passwordMode).toBe("keep");
    expect(patchBody(form)).not.toHaveProperty("password");
    expect(patchBody({ ...form, passwordMode: "none" }).password).toBeNull();
    expect(patchBody({ ...form, passwordMode: "set", password: "new-one" }).password).toBe("new-one");
    expect(patchBody({ ...form, expires: false })).toMatchObject({ expires_at: null, show_location: true });
  });
});

describe("downloadNote", () => {
  it("says what downloaded files carry", () => {
    expect(downloadNote({ showLocation: true, stripMetadata: false })).toMatch(/as they are, with all their metadata/);
    expect(downloadNote({ showLocation: false, stripMetadata: false })).toMatch(/without the GPS location; they keep the rest/);
    expect(downloadNote({ showLocation: true, stripMetadata: true })).toMatch(/without the location, camera and lens serial numbers/);
  });
});

describe("shareUrl", () => {
  it("joins the origin and the link's path", () => {
    expect(shareUrl("/s/abc", "https://photos.example.org")).toBe("https://photos.example.org/s/abc");
    expect(shareUrl("/s/abc", "https://photos.example.org/")).toBe("https://photos.example.org/s/abc");
  });
});
