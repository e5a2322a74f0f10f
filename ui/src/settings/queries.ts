import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { ApiError } from "../api/errors";
import type { ClassifierSwitches, ImportErrorPage } from "../api/types";
import { libraryKeys } from "../shared/libraries";

export { libraryKeys, useCreateLibrary, useLibraries } from "../shared/libraries";

export function useScanLibrary() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: number) =>
      unwrap(await api.POST("/api/libraries/{library_id}/scan", { params: { path: { library_id: id } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: libraryKeys.all }),
  });
}

/** The library's classifier switches; null when this server has no such API (404). */
export function useClassifiers(id: number) {
  return useQuery({
    queryKey: libraryKeys.classifiers(id),
    queryFn: async (): Promise<ClassifierSwitches | null> => {
      try {
        return unwrap(await api.GET("/api/libraries/{library_id}/classifiers", { params: { path: { library_id: id } } }));
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
}

export function useSetClassifier(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: ClassifierSwitches) =>
      unwrap(await api.PUT("/api/libraries/{library_id}/classifiers", { params: { path: { library_id: id } }, body })),
    onSuccess: (data) => queryClient.setQueryData(libraryKeys.classifiers(id), data),
  });
}

/** How many of a library's import errors one page shows (the API's largest page). */
export const IMPORT_ERRORS_PAGE = 500;

/** The first page of a library's files that could not be imported, by path. */
export function useImportErrors(id: number) {
  return useQuery({
    queryKey: [...libraryKeys.all, id, "errors"] as const,
    queryFn: async (): Promise<ImportErrorPage> =>
      unwrap(
        await api.GET("/api/libraries/{library_id}/errors", {
          params: { path: { library_id: id }, query: { page_size: IMPORT_ERRORS_PAGE } },
        }),
      ),
  });
}
