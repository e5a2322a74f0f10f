import { describe, expect, it } from "vitest";
import { splitTakenAt, takenAtValue, zoneOffsets } from "./dates";

describe("the date editor's values", () => {
  it("splits a date taken into its clock time and zone", () => {
    expect(splitTakenAt("2021-06-05T14:30:00+02:00")).toEqual({ local: "2021-06-05T14:30:00", offset: "+02:00" });
    expect(splitTakenAt("2021-06-05T14:30:00.250")).toEqual({ local: "2021-06-05T14:30:00", offset: "" });
    expect(splitTakenAt("2021-06-05T14:30Z")).toEqual({ local: "2021-06-05T14:30:00", offset: "+00:00" });
    expect(splitTakenAt(null)).toEqual({ local: "", offset: "" });
    expect(splitTakenAt("yesterday")).toEqual({ local: "", offset: "" });
  });

  it("joins them back, with or without seconds and zone", () => {
    expect(takenAtValue("2019-07-14T09:30", "-04:00")).toBe("2019-07-14T09:30:00-04:00");
    expect(takenAtValue("2019-07-14T09:30:15", "")).toBe("2019-07-14T09:30:15");
    expect(takenAtValue("", "+01:00")).toBeNull();
    expect(takenAtValue("14/07/2019", "")).toBeNull();
  });

  it("offers every quarter-hour zone from -12:00 to +14:00", () => {
    const zones = zoneOffsets();
    expect(zones[0]).toBe("-12:00");
    expect(zones.at(-1)).toBe("+14:00");
    expect(zones).toContain("+05:45");
    expect(zones).toContain("+00:00");
    expect(zones).toHaveLength(105);
  });
});
