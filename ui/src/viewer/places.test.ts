import { describe, expect, it } from "vitest";
import { copiedPlace, copyPlace, parsePlace } from "./places";

describe("places typed and copied", () => {
  it("reads degrees, with a comma or a point", () => {
    expect(parsePlace("48.8584", "2,2945")).toEqual({ latitude: 48.8584, longitude: 2.2945 });
    expect(parsePlace("-91", "0")).toBe("A latitude is from -90 to 90.");
    expect(parsePlace("0", "181")).toBe("A longitude is from -180 to 180.");
    expect(parsePlace("", "1")).toMatch(/Give a latitude/);
    expect(parsePlace("north", "1")).toMatch(/Give a latitude/);
  });

  it("remembers the copied place for the session, and ignores what is not one", () => {
    window.sessionStorage.clear();
    expect(copiedPlace()).toBeNull();
    copyPlace({ photoId: 4, latitude: 1.5, longitude: -2 });
    expect(copiedPlace()).toEqual({ photoId: 4, latitude: 1.5, longitude: -2 });
    window.sessionStorage.setItem("photonix.copiedPlace", "{not json");
    expect(copiedPlace()).toBeNull();
  });
});
