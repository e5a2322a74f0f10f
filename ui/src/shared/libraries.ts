// Libraries, their classifiers and the server's folders: used by the first-run welcome and by
// Settings.
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { ApiError, errorMessage, fieldErrorsOf } from "../api/errors";
import type { InstalledClassifier, Library, LibraryCreateRequest, ServerFolders } from "../api/types";

export const libraryKeys = {
  all: ["libraries"] as const,
  classifiers: (id: number) => ["libraries", id, "classifiers"] as const,
  serverFolders: (path: string) => ["server-folders", path] as const,
};

export function useLibraries() {
  return useQuery({
    queryKey: libraryKeys.all,
    queryFn: async (): Promise<Library[]> => unwrap(await api.GET("/api/libraries")),
  });
}

export function useCreateLibrary() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: LibraryCreateRequest) => unwrap(await api.POST("/api/libraries", { body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: libraryKeys.all }),
  });
}

/** Why a library could not be created: its name already taken (an error on `name`), or the
 * server's reason about a folder or the request. */
export function createLibraryErrorMessage(error: unknown): string {
  return (error instanceof ApiError ? fieldErrorsOf(error.body).name : undefined) ?? errorMessage(error);
}

/** The sub-folders of a folder on the server ("" = the first usual place for photos there). */
export function serverFoldersQuery(path: string) {
  return queryOptions({
    queryKey: libraryKeys.serverFolders(path),
    queryFn: async (): Promise<ServerFolders> =>
      unwrap(await api.GET("/api/server/folders", { params: { query: path ? { path } : {} } })),
    retry: false,
    staleTime: 10_000,
  });
}

/** What each built-in classifier does, in the words of someone choosing whether to run it. */
export const CLASSIFIERS: Record<string, { label: string; description: string }> = {
  object: { label: "Objects", description: "Things in the photo: animals, vehicles, food, buildings…" },
  detect: {
    label: "Object boxes",
    description: "People, animals, vehicles and everyday things, each with its box on the photo.",
  },
  colour: { label: "Colours", description: "The main colours, to filter by colour swatches." },
  place: {
    label: "Places",
    description: "Town, region and country from the photo's GPS position (offline, nothing is sent).",
  },
  style: { label: "Styles", description: "Black and white, bright, dark, vivid, pastel and other looks." },
  event: { label: "Events", description: "Christmas, New Year, birthdays and other dates you name." },
  faces: { label: "Faces", description: "Finds faces and groups them into people you can name." },
};

export function classifierLabel(name: string): string {
  return CLASSIFIERS[name]?.label ?? name;
}

/** The classifiers installed on the server (built in and plug-ins). */
export function useInstalledClassifiers() {
  return useQuery({
    queryKey: ["classifiers"] as const,
    queryFn: async (): Promise<InstalledClassifier[]> => unwrap(await api.GET("/api/classifiers")),
    staleTime: Infinity,
  });
}
