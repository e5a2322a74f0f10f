// Naming faces, shared by the People page (the unnamed faces to review) and the viewer (a click
// on a face box): the faces on nobody, the people a face looks like, and the naming itself.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { Face, FaceAssign, FacePage, FaceSuggestion } from "../api/types";
import { photoKeys } from "./photos";

/** Unnamed faces shown a page at a time. */
export const UNNAMED_PAGE_SIZE = 24;

export const faceKeys = {
  all: ["faces"] as const,
  unassigned: (library: number, page: number) => ["faces", "unassigned", library, page] as const,
  suggestions: (face: number) => ["faces", "suggestions", face] as const,
};

/** A person's name, or a label that tells one unnamed group from another. */
export function personName(person: { id: number; name: string }): string {
  return person.name.trim() || `Unnamed person ${person.id}`;
}

/** The round crop of a person's cover face, for lists that carry only their id. */
export function personCropUrl(id: number): string {
  return `/api/people/${id}/crop`;
}

/** What naming a face sends: a person picked from a list, else the typed name. */
export function assignBody(choice: { person?: number | null; name?: string }): FaceAssign | null {
  if (choice.person) return { person: choice.person };
  const name = (choice.name ?? "").trim();
  return name ? { name } : null;
}

export function useUnassignedFaces(library: number | null, page: number) {
  return useQuery({
    queryKey: faceKeys.unassigned(library ?? -1, page),
    queryFn: async (): Promise<FacePage> =>
      unwrap(
        await api.GET("/api/faces", {
          params: { query: { library: library!, unassigned: true, page, page_size: UNNAMED_PAGE_SIZE } },
        }),
      ),
    enabled: library !== null,
  });
}

/** The people a face looks most like; not asked for when `enabled` is false (they came with the face). */
export function useFaceSuggestions(face: number, enabled = true) {
  return useQuery({
    enabled,
    queryKey: faceKeys.suggestions(face),
    queryFn: async (): Promise<FaceSuggestion[]> =>
      unwrap(await api.GET("/api/faces/{face_id}/suggestions", { params: { path: { face_id: face } } })),
  });
}

/** Name, ignore or reject a face; everything that shows faces or people is read again after. */
export function useFaceNaming() {
  const queryClient = useQueryClient();
  const refresh = (face: Face) => {
    for (const key of [faceKeys.all, ["people"], ["photo-faces"], photoKeys.detail(face.photo), [photoKeys.all[0], "facets"]]) {
      void queryClient.invalidateQueries({ queryKey: key });
    }
  };
  const assign = useMutation({
    mutationFn: async ({ face, body }: { face: number; body: FaceAssign }): Promise<Face> =>
      unwrap(await api.POST("/api/faces/{face_id}/assign", { params: { path: { face_id: face } }, body })),
    onSuccess: refresh,
  });
  const ignore = useMutation({
    mutationFn: async (face: number): Promise<Face> =>
      unwrap(await api.POST("/api/faces/{face_id}/ignore", { params: { path: { face_id: face } } })),
    onSuccess: refresh,
  });
  const reject = useMutation({
    mutationFn: async (face: number): Promise<Face> =>
      unwrap(await api.POST("/api/faces/{face_id}/reject", { params: { path: { face_id: face } } })),
    onSuccess: refresh,
  });
  return { assign, ignore, reject };
}

/** The named people of a library, for the name field's list (under the people key: refreshed with them). */
export function useNamedPeople(library: number) {
  return useQuery({
    queryKey: ["people", "list", library] as const,
    queryFn: async () => unwrap(await api.GET("/api/libraries/{library_id}/people", { params: { path: { library_id: library } } })),
    select: (people) => people.filter((person) => person.name.trim() !== ""),
  });
}
