import { afterEach, describe, expect, it, vi } from "vitest";
import {
  formatBytes,
  formatCount,
  formatDate,
  formatDateRange,
  formatDateTime,
  formatDay,
  formatDuration,
  formatExposureTime,
  formatMonth,
  formatRelative,
  formatTakenAt,
  formatTakenDay,
  parseExposureTime,
  plural,
  userLocale,
} from "./format";

/** ICU spaces (thin, narrow no-break) as plain ones, so expectations read as text. */
function flat(text: string | null): string | null {
  return text === null ? null : text.replace(/[\u00a0\u2009\u202f]/g, " ");
}

function speak(language: string) {
  vi.spyOn(navigator, "language", "get").mockReturnValue(language);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("format in the reader's language", () => {
  it("follows navigator.language", () => {
    speak("en-US");
    expect(userLocale()).toBe("en-US");
    expect(flat(formatDay("2026-12-07"))).toBe("Mon, Dec 7, 2026");
    expect(flat(formatCount(1234567))).toBe("1,234,567");
    speak("en-GB");
    expect(flat(formatDay("2026-12-07"))).toBe("Mon, 7 Dec 2026");
    speak("de-DE");
    expect(flat(formatCount(1234567))).toBe("1.234.567");
    expect(flat(formatMonth("2014-09"))).toBe("September 2014");
  });

  it("falls back when the browser's language is one Intl refuses", () => {
    speak("not a language!");
    expect(flat(formatCount(1200))).toBe("1,200");
  });

  it("writes every date of a screen in one style", () => {
    speak("en-US");
    // A photo's day, a day range and an instant share the day-month-year style.
    expect(flat(formatTakenDay("2014-09-19T10:00:00"))).toBe("Sep 19, 2014");
    expect(flat(formatDateRange("2014-09-19", "2014-09-19"))).toBe("Sep 19, 2014");
    expect(flat(formatDate("2026-12-07T02:41:19Z"))).toMatch(/^Dec [67], 2026$/);
    expect(flat(formatDateTime("2026-12-07T12:00:00"))).toBe("Dec 7, 2026, 12:00 PM");
  });

  it("takes a photo's date and time from its text, not the browser's zone", () => {
    speak("en-GB");
    expect(flat(formatTakenAt("2024-05-03T23:30:00+09:00"))).toBe("Fri, 3 May 2024, 23:30");
    expect(flat(formatTakenAt("2024-05-03"))).toBe("Fri, 3 May 2024");
    expect(flat(formatTakenAt(null))).toBe("Unknown date");
    expect(flat(formatTakenDay(null))).toBeNull();
  });

  it("writes day ranges in their shortest form", () => {
    speak("en-GB");
    expect(flat(formatDateRange(null, null))).toBe("");
    expect(flat(formatDateRange("2024-01-03", "2024-01-09"))).toBe("3 – 9 Jan 2024");
    expect(flat(formatDateRange("2023-12-28", "2024-01-02"))).toBe("28 Dec 2023 – 2 Jan 2024");
    speak("en-US");
    expect(flat(formatDateRange("2024-01-03", "2024-01-09"))).toBe("Jan 3 – 9, 2024");
  });

  it("says how long ago, in words", () => {
    speak("en-US");
    const now = new Date("2024-05-01T12:00:00Z");
    expect(flat(formatRelative("2024-05-01T11:59:50Z", now))).toBe("just now");
    expect(flat(formatRelative("2024-05-01T11:55:00Z", now))).toBe("5 minutes ago");
    expect(flat(formatRelative("2024-04-30T12:00:00Z", now))).toBe("yesterday");
    expect(flat(formatRelative(null, now))).toBe("—");
    expect(flat(formatRelative("nonsense", now))).toBe("—");
  });

  it("agrees the noun with the count", () => {
    speak("en-US");
    expect(flat(plural(1, "photo"))).toBe("1 photo");
    expect(flat(plural(0, "photo"))).toBe("0 photos");
    expect(flat(plural(1204, "photo"))).toBe("1,204 photos");
    expect(flat(plural(2, "person", "people"))).toBe("2 people");
    speak("fr-FR");
    // French digits, English nouns: 0 takes the English plural even where French says "0 photo".
    expect(flat(plural(0, "photo"))).toBe("0 photos");
    expect(flat(plural(1, "photo"))).toBe("1 photo");
  });

  it("writes sizes and durations with their units", () => {
    speak("en-US");
    expect(flat(formatBytes(900))).toBe("900B");
    expect(flat(formatBytes(7958))).toBe("7.8 kB");
    expect(flat(formatBytes(25 * 1024 * 1024))).toBe("25 MB");
    expect(flat(formatDuration(0.44))).toBe("0.4 ms");
    expect(flat(formatDuration(12.6))).toBe("13 ms");
    expect(flat(formatDuration(1500))).toBe("1.5 sec");
    speak("de-DE");
    expect(flat(formatBytes(7958))).toBe("7,8 kB");
  });

  it("writes shutter speeds as photographers do", () => {
    speak("en-US");
    expect(flat(formatExposureTime(0.004))).toBe("1/250 s");
    expect(flat(formatExposureTime(1 / 3))).toBe("1/3 s");
    expect(flat(formatExposureTime(0.000101999184))).toBe("1/9804 s");
    expect(flat(formatExposureTime(0.4))).toBe("0.4 s");
    expect(flat(formatExposureTime(2))).toBe("2 s");
    expect(flat(formatExposureTime(2.5))).toBe("2.5 s");
    expect(flat(formatExposureTime(null))).toBeNull();
    expect(flat(formatExposureTime(0))).toBeNull();
  });

  it("reads shutter speeds as people type them", () => {
    expect(parseExposureTime("1/250")).toBe(0.004);
    expect(parseExposureTime(" 1 / 250 s ")).toBe(0.004);
    expect(parseExposureTime("2 s")).toBe(2);
    expect(parseExposureTime("2s")).toBe(2);
    expect(parseExposureTime('2"')).toBe(2);
    expect(parseExposureTime("0,5")).toBe(0.5);
    expect(parseExposureTime(".5 sec")).toBe(0.5);
    expect(parseExposureTime("0.000101999184")).toBe(0.000101999184);
    for (const bad of ["", "fast", "1/0", "0", "-1", "1/", "/250", "1/2/3"]) expect(parseExposureTime(bad), bad).toBeNull();
  });
});
