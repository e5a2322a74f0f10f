import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { Face, Person } from "../api/types";
import { photoKeys } from "../shared/photos";
import { type FaceAction, faceActionRequest } from "./logic";

export const peopleKeys = {
  all: ["people"] as const,
  list: (library: number) => ["people", "list", library] as const,
  detail: (id: number) => ["people", "detail", id] as const,
  faces: (id: number) => ["people", "faces", id] as const,
  photos: (id: number) => ["people", "photos", id] as const,
};

export { useLibraries } from "../shared/libraries";

export function usePeople(library: number | null | undefined) {
  return useQuery({
    queryKey: peopleKeys.list(library ?? -1),
    queryFn: async (): Promise<Person[]> =>
      unwrap(await api.GET("/api/libraries/{library_id}/people", { params: { path: { library_id: library! } } })),
    enabled: typeof library === "number",
  });
}

export function usePerson(id: number) {
  return useQuery({
    queryKey: peopleKeys.detail(id),
    queryFn: async (): Promise<Person> =>
      unwrap(await api.GET("/api/people/{person_id}", { params: { path: { person_id: id } } })),
    enabled: Number.isFinite(id),
  });
}

export function usePersonFaces(id: number) {
  return useQuery({
    queryKey: peopleKeys.faces(id),
    queryFn: async (): Promise<Face[]> =>
      unwrap(await api.GET("/api/people/{person_id}/faces", { params: { path: { person_id: id } } })),
    enabled: Number.isFinite(id),
  });
}

export function usePersonPhotos(id: number) {
  return useQuery({
    queryKey: peopleKeys.photos(id),
    queryFn: async (): Promise<number[]> =>
      unwrap(await api.GET("/api/people/{person_id}/photos", { params: { path: { person_id: id } } })).photos,
    enabled: Number.isFinite(id),
  });
}

export function usePersonActions(id: number) {
  const queryClient = useQueryClient();
  const path = { person_id: id };
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: peopleKeys.all });
    // The timeline's people facet shows names and counts too (photo details are left cached).
    void queryClient.invalidateQueries({ queryKey: [photoKeys.all[0], "facets"] });
  };

  const rename = useMutation({
    mutationFn: async (name: string) => unwrap(await api.PATCH("/api/people/{person_id}", { params: { path }, body: { name } })),
    onSuccess: (person) => {
      queryClient.setQueryData(peopleKeys.detail(id), person);
      refresh();
    },
  });
  /** Merges this person into `target`, which keeps its name and id; this one is gone after. */
  const mergeInto = useMutation({
    mutationFn: async (target: number) =>
      unwrap(await api.POST("/api/people/{person_id}/merge", { params: { path: { person_id: target } }, body: { person: id } })),
    onSuccess: (person) => {
      queryClient.setQueryData(peopleKeys.detail(person.id), person);
      // The merged person is gone: their page leaves, so their queries are not fetched again (404).
      void queryClient.invalidateQueries({
        queryKey: peopleKeys.all,
        predicate: (query) => query.queryKey[1] === "list" || query.queryKey[2] !== id,
      });
      void queryClient.invalidateQueries({ queryKey: [photoKeys.all[0], "facets"] });
    },
  });
  const faceAction = useMutation({
    mutationFn: async ({ face, action }: { face: number; action: FaceAction }): Promise<Face> => {
      const request = faceActionRequest(action);
      const params = { path: { face_id: face } };
      if (request.endpoint === "/api/faces/{face_id}/move") {
        return unwrap(await api.POST(request.endpoint, { params, body: request.body }));
      }
      return unwrap(await api.POST(request.endpoint, { params }));
    },
    onSuccess: refresh,
  });
  return { rename, mergeInto, faceAction };
}
