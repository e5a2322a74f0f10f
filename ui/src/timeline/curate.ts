// Favourites, the archive and the trash: which of the timeline's views is shown, and the trash's
// own requests (its size, restoring, emptying). Bulk favourite/archive/trash go through the
// timeline's bulk action.
import { useMutation, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { EmptyResult, RestoreResult, TrashStatus } from "../api/types";
import type { Filters } from "../shared/filters";
import { plural } from "../shared/format";
import { useInvalidatePhotos } from "../shared/photos";

export type CurateView = "all" | "favourites" | "archive" | "trash";

/** The views, each a filter of the timeline (so a view is a URL like any other). */
export const VIEWS: { view: CurateView; label: string; filters: Filters }[] = [
  { view: "all", label: "All photos", filters: {} },
  { view: "favourites", label: "Favourites", filters: { favourite: true } },
  { view: "archive", label: "Archive", filters: { archived: true } },
  { view: "trash", label: "Trash", filters: { trashed: true } },
];

/** Which view some filters show (`hidden`, the archive's old name, counts as the archive). */
export function curateView(filters: Filters): CurateView {
  if (filters.trashed) return "trash";
  if (filters.archived || filters.hidden) return "archive";
  if (filters.favourite) return "favourites";
  return "all";
}

/** The filters of another view: the curation keys of the current ones replaced. */
export function switchView(filters: Filters, view: CurateView): Filters {
  const rest: Filters = { ...filters };
  for (const key of ["favourite", "archived", "hidden", "trashed"] as const) delete rest[key];
  const target = VIEWS.find((v) => v.view === view)?.filters ?? {};
  return { ...rest, ...target };
}

export function useTrashStatus(enabled: boolean) {
  return useQuery({
    queryKey: ["photos", "trash"],
    queryFn: async (): Promise<TrashStatus> => unwrap(await api.GET("/api/trash")),
    enabled,
  });
}

export function useRestore() {
  const invalidate = useInvalidatePhotos();
  return useMutation({
    mutationFn: async (ids: number[]): Promise<RestoreResult> =>
      unwrap(await api.POST("/api/trash/restore", { body: { ids } })),
    onSuccess: () => void invalidate(),
  });
}

export function useEmptyTrash() {
  const invalidate = useInvalidatePhotos();
  return useMutation({
    mutationFn: async (ids?: number[]): Promise<EmptyResult> =>
      unwrap(await api.POST("/api/trash/empty", { body: ids ? { ids } : {} })),
    onSuccess: () => void invalidate(),
  });
}

/** What restoring did, in words. */
export function restoredText(result: RestoreResult): string {
  const done = result.restored.length ? `Restored ${plural(result.restored.length, "photo")}.` : "";
  if (!result.missing.length) return done;
  const paths = result.missing.map((m) => m.path).join(", ");
  const left = `${plural(result.missing.length, "photo")} stayed in the trash: the original file is gone from disk (${paths}).`;
  return done ? `${done} ${left}` : left;
}

/** What emptying did, in words. */
export function emptiedText(result: EmptyResult): string {
  const parts = [`Deleted ${plural(result.deleted, "photo")} for good.`];
  if (result.originals_deleted) parts.push(`${plural(result.originals_deleted, "original file")} deleted from disk.`);
  if (result.excluded) parts.push(`${plural(result.excluded, "original file")} kept on disk, left out of future scans.`);
  for (const error of result.errors) parts.push(error);
  return parts.join(" ");
}
