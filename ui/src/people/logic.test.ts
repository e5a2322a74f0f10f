import { describe, expect, it } from "vitest";
import { PEOPLE } from "../test/fakeApi";
import { faceActionRequest, otherPeople, personCounts, personLabel, pickLibrary, splitPeople } from "./logic";

const ids = (people: { id: number }[]) => people.map((person) => person.id);

describe("splitPeople", () => {
  it("puts named people first by name, then unnamed groups largest first", () => {
    const shuffled = [PEOPLE[3]!, PEOPLE[1]!, PEOPLE[2]!, PEOPLE[0]!];
    const { named, unnamed } = splitPeople(shuffled);
    expect(ids(named)).toEqual([1, 2]);
    expect(ids(unnamed)).toEqual([3, 4]);
  });

  it("treats a blank name as unnamed and sorts names case-insensitively", () => {
    const people = [
      { ...PEOPLE[0]!, id: 7, name: "zoe" },
      { ...PEOPLE[0]!, id: 8, name: "Bob" },
      { ...PEOPLE[0]!, id: 9, name: "   " },
    ];
    const { named, unnamed } = splitPeople(people);
    expect(ids(named)).toEqual([8, 7]);
    expect(ids(unnamed)).toEqual([9]);
  });
});

describe("otherPeople (merge and move targets)", () => {
  it("never offers the person themselves", () => {
    expect(ids(otherPeople(PEOPLE, PEOPLE[0]!))).toEqual([2, 3, 4]);
    expect(ids(otherPeople(PEOPLE, PEOPLE[2]!))).toEqual([1, 2, 4]);
  });

  it("offers only people of the same library", () => {
    const elsewhere = { ...PEOPLE[1]!, id: 99, library: 2 };
    expect(ids(otherPeople([...PEOPLE, elsewhere], PEOPLE[0]!))).toEqual([2, 3, 4]);
  });
});

describe("faceActionRequest", () => {
  it("maps each verdict to its endpoint, without a body", () => {
    expect(faceActionRequest({ kind: "confirm" })).toEqual({ endpoint: "/api/faces/{face_id}/confirm" });
    expect(faceActionRequest({ kind: "remove" })).toEqual({ endpoint: "/api/faces/{face_id}/remove" });
    expect(faceActionRequest({ kind: "reject" })).toEqual({ endpoint: "/api/faces/{face_id}/reject" });
  });

  it("moves to a person, or to a new (optionally named) person", () => {
    expect(faceActionRequest({ kind: "move", person: 4 })).toEqual({
      endpoint: "/api/faces/{face_id}/move",
      body: { person: 4, name: "" },
    });
    expect(faceActionRequest({ kind: "move", person: 4, name: "ignored" })).toMatchObject({ body: { person: 4, name: "" } });
    expect(faceActionRequest({ kind: "move", person: null, name: " Pierre " })).toEqual({
      endpoint: "/api/faces/{face_id}/move",
      body: { person: null, name: "Pierre" },
    });
  });
});

describe("labels", () => {
  it("names unnamed groups by id and counts faces and photos", () => {
    expect(personLabel(PEOPLE[0]!)).toBe("Ada");
    expect(personLabel(PEOPLE[2]!)).toBe("Unnamed person 3");
    expect(personCounts({ face_count: 1, photo_count: 2 })).toBe("1 face · 2 photos");
  });

  it("keeps the chosen library while it exists", () => {
    expect(pickLibrary([{ id: 1 }, { id: 2 }], 2)).toBe(2);
    expect(pickLibrary([{ id: 1 }, { id: 2 }], 5)).toBe(1);
    expect(pickLibrary([], null)).toBeNull();
  });
});
