import { describe, expect, it } from "vitest";
import {
  activeFilterCount,
  applySuggestion,
  endOfMonth,
  filtersFrom,
  filtersToSearch,
  parseFilters,
  toggleInList,
  withFilter,
} from "./filters";

describe("URL ⇄ filters", () => {
  it("parses every kind of parameter", () => {
    const filters = parseFilters(
      "tag=3&tag=7&camera=2&person=9&lens=4&place=11&colour=5&rating_min=3&flash=1&aperture_min=1.8&aperture_max=4" +
        "&exposure_max=0.01&iso_min=100&iso_max=800&focal_min=24&focal_max=70&date_from=2024-01-01&date_to=2024-05-31" +
        "&has_gps=true&hidden=0&undated=false&q=beach&library=1",
    );
    expect(filters).toEqual({
      library: 1,
      tag: [3, 7],
      person: [9],
      camera: [2],
      lens: [4],
      place: 11,
      colour: 5,
      rating_min: 3,
      flash: true,
      aperture_min: 1.8,
      aperture_max: 4,
      exposure_max: 0.01,
      iso_min: 100,
      iso_max: 800,
      focal_min: 24,
      focal_max: 70,
      date_from: "2024-01-01",
      date_to: "2024-05-31",
      has_gps: true,
      hidden: false,
      undated: false,
      q: "beach",
    });
  });

  it("drops malformed values and duplicates", () => {
    expect(parseFilters("tag=x&tag=2&tag=2&rating_min=high&date_from=May&flash=maybe&q=%20%20")).toEqual({ tag: [2] });
  });

  it("round-trips through the query string in a stable order", () => {
    const filters = parseFilters("q=cat&camera=2&tag=5&tag=1&flash=0");
    const search = filtersToSearch(filters);
    expect(search).toBe("tag=5&tag=1&camera=2&flash=0&q=cat");
    expect(parseFilters(search)).toEqual(filters);
  });

  it("puts view state after the filters and skips empty values", () => {
    expect(filtersToSearch({ camera: [1], q: "" }, { at: "2020-05", other: undefined })).toBe("camera=1&at=2020-05");
  });

  it("counts, toggles and clears", () => {
    let filters = toggleInList({}, "tag", 4);
    filters = toggleInList(filters, "tag", 5);
    expect(filters.tag).toEqual([4, 5]);
    filters = toggleInList(filters, "tag", 4);
    expect(filters.tag).toEqual([5]);
    filters = withFilter(filters, "rating_min", 2);
    expect(activeFilterCount(filters)).toBe(2);
    filters = toggleInList(withFilter(filters, "rating_min", undefined), "tag", 5);
    expect(activeFilterCount(filters)).toBe(0);
    expect(filtersToSearch(filters)).toBe("");
  });

  it("keeps a map area after the other filters, and drops a malformed one", () => {
    const filters = parseFilters("tag=3&bbox=170,-20,-170,-10&q=beach");
    expect(filters).toEqual({ tag: [3], q: "beach", bbox: "170,-20,-170,-10" });
    expect(filtersToSearch(filters)).toBe("tag=3&q=beach&bbox=170%2C-20%2C-170%2C-10");
    expect(activeFilterCount(filters)).toBe(3);
    expect(parseFilters("bbox=1,2,3")).toEqual({});
    expect(parseFilters("bbox=0,50,10,40")).toEqual({});
    // The filters written before areas existed keep their URLs.
    expect(filtersToSearch({ tag: [3], q: "beach" })).toBe("tag=3&q=beach");
  });

  it("merges a suggestion: lists gain ids, single values are replaced", () => {
    const filters = applySuggestion({ tag: [1], place: 3 }, { tag: 2, place: 8, nonsense: 1 });
    expect(filters).toEqual({ tag: [1, 2], place: 8 });
    expect(applySuggestion({ tag: [1] }, { tag: [1, 5], date_from: "2023-05-01", date_to: "2023-05-31" })).toEqual({
      tag: [1, 5],
      date_from: "2023-05-01",
      date_to: "2023-05-31",
    });
  });
});

describe("starting at a month", () => {
  it("knows month ends, leap years included", () => {
    expect(endOfMonth("2024-02")).toBe("2024-02-29");
    expect(endOfMonth("2023-02")).toBe("2023-02-28");
    expect(endOfMonth("2023-12")).toBe("2023-12-31");
  });

  it("caps the end date, keeping an earlier one", () => {
    expect(filtersFrom({ camera: [1] }, "2020-04")).toEqual({ camera: [1], date_to: "2020-04-30" });
    expect(filtersFrom({ date_to: "2020-01-10" }, "2020-04")).toEqual({ date_to: "2020-01-10" });
    expect(filtersFrom({ q: "x" }, undefined)).toEqual({ q: "x" });
    expect(filtersFrom({ q: "x" }, "garbage")).toEqual({ q: "x" });
  });
});
