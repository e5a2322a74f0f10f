import type { Person } from "../api/types";
import { personName } from "../shared/faces";
import { plural } from "../shared/format";

/** What the user can do with one face on a person's page. */
export type FaceAction =
  | { kind: "confirm" }
  | { kind: "remove" }
  | { kind: "reject" }
  | { kind: "move"; person: number | null; name?: string };

/** The request an action sends: which face endpoint, and its body (move only). */
export type FaceRequest =
  | { endpoint: "/api/faces/{face_id}/confirm" | "/api/faces/{face_id}/remove" | "/api/faces/{face_id}/reject" }
  | { endpoint: "/api/faces/{face_id}/move"; body: { person: number | null; name: string } };

export function faceActionRequest(action: FaceAction): FaceRequest {
  switch (action.kind) {
    case "confirm":
      return { endpoint: "/api/faces/{face_id}/confirm" };
    case "remove":
      return { endpoint: "/api/faces/{face_id}/remove" };
    case "reject":
      return { endpoint: "/api/faces/{face_id}/reject" };
    case "move":
      return {
        endpoint: "/api/faces/{face_id}/move",
        body: { person: action.person, name: action.person === null ? (action.name ?? "").trim() : "" },
      };
  }
}

export function isNamed(person: Pick<Person, "name">): boolean {
  return person.name.trim() !== "";
}

const byName = (a: Person, b: Person) => a.name.localeCompare(b.name, undefined, { sensitivity: "base" }) || a.id - b.id;
const bySize = (a: Person, b: Person) => b.face_count - a.face_count || b.photo_count - a.photo_count || a.id - b.id;

/** Named people by name, then the unnamed groups to review, largest first. */
export function splitPeople(people: readonly Person[]): { named: Person[]; unnamed: Person[] } {
  return {
    named: people.filter(isNamed).sort(byName),
    unnamed: people.filter((person) => !isNamed(person)).sort(bySize),
  };
}

/** Everyone a person can be merged into or a face moved to: the same library, never themselves. */
export function otherPeople(people: readonly Person[], self: Pick<Person, "id" | "library">): Person[] {
  const { named, unnamed } = splitPeople(people.filter((person) => person.id !== self.id && person.library === self.library));
  return [...named, ...unnamed];
}

export function personLabel(person: Pick<Person, "id" | "name">): string {
  return personName(person);
}

export function personCounts(person: Pick<Person, "face_count" | "photo_count">): string {
  return `${plural(person.face_count, "face")} · ${plural(person.photo_count, "photo")}`;
}

export function personPath(id: number): string {
  return `/people/${id}`;
}

export function cropUrl(faceId: number): string {
  return `/api/faces/${faceId}/crop`;
}

/** The library shown: the chosen one when it still exists, else the first. */
export function pickLibrary(libraries: readonly { id: number }[], chosen: number | null): number | null {
  if (chosen !== null && libraries.some((library) => library.id === chosen)) return chosen;
  return libraries[0]?.id ?? null;
}
