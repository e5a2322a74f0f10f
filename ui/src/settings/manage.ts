// Managing a library from Settings: its name, its folders and its members (docs/accounts.md).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { FolderRemoved, Library, LibraryMember, LibraryRole, NamedDateBody, User } from "../api/types";
import { libraryKeys } from "../shared/libraries";

export const ROLES: readonly { value: LibraryRole; label: string; description: string }[] = [
  { value: "viewer", label: "Viewer", description: "sees the photos" },
  { value: "editor", label: "Editor", description: "also rates, tags, rotates and hides photos" },
  { value: "owner", label: "Owner", description: "also manages the library and its members" },
];

export const memberKeys = { list: (id: number) => ["libraries", id, "members"] as const };

/** Owners manage a library; so do administrators who are members of it. */
export function canManage(library: Library, user: User): boolean {
  return user.is_admin || library.role === "owner";
}

/** Only administrators add server folders: a folder brings every photo in it into the library. */
export function canAddFolders(user: User): boolean {
  return user.is_admin;
}

function useLibraryMutation<Vars, Data>(mutationFn: (vars: Vars) => Promise<Data>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: libraryKeys.all, exact: true }),
  });
}

export function useRenameLibrary(id: number) {
  return useLibraryMutation(async (name: string) =>
    unwrap(await api.PATCH("/api/libraries/{library_id}", { params: { path: { library_id: id } }, body: { name } })),
  );
}

export function useSetUploadFolder(id: number) {
  return useLibraryMutation(async (upload_folder: string) =>
    unwrap(await api.PATCH("/api/libraries/{library_id}", { params: { path: { library_id: id } }, body: { upload_folder } })),
  );
}

export function useAddFolder(id: number) {
  return useLibraryMutation(async (body: { path: string; watched: boolean }) =>
    unwrap(await api.POST("/api/libraries/{library_id}/folders", { params: { path: { library_id: id } }, body })),
  );
}

export function useSetWatched(id: number) {
  return useLibraryMutation(async ({ folder, watched }: { folder: number; watched: boolean }) =>
    unwrap(
      await api.PATCH("/api/libraries/{library_id}/folders/{folder_id}", {
        params: { path: { library_id: id, folder_id: folder } },
        body: { watched },
      }),
    ),
  );
}

export function useRemoveFolder(id: number) {
  return useLibraryMutation(
    async (folder: number): Promise<FolderRemoved> =>
      unwrap(
        await api.DELETE("/api/libraries/{library_id}/folders/{folder_id}", {
          params: { path: { library_id: id, folder_id: folder } },
        }),
      ),
  );
}

export function useMembers(id: number) {
  return useQuery({
    queryKey: memberKeys.list(id),
    queryFn: async (): Promise<LibraryMember[]> =>
      unwrap(await api.GET("/api/libraries/{library_id}/members", { params: { path: { library_id: id } } })),
  });
}

/** Add, re-role and remove members; the list comes back with each change. */
export function useMemberActions(id: number, me: User) {
  const queryClient = useQueryClient();
  const key = memberKeys.list(id);
  const path = { library_id: id };
  // Your own role may have changed: the library list carries it, and gates the controls.
  const refreshOwn = (userId: number) => {
    if (userId === me.id) void queryClient.invalidateQueries({ queryKey: libraryKeys.all, exact: true });
  };
  const add = useMutation({
    mutationFn: async (body: { username: string; role: LibraryRole }) =>
      unwrap(await api.POST("/api/libraries/{library_id}/members", { params: { path }, body })),
    onSuccess: (members) => queryClient.setQueryData(key, members),
  });
  const setRole = useMutation({
    mutationFn: async ({ user, role }: { user: number; role: LibraryRole }) =>
      unwrap(
        await api.PATCH("/api/libraries/{library_id}/members/{user_id}", {
          params: { path: { ...path, user_id: user } },
          body: { role },
        }),
      ),
    onSuccess: (members, { user }) => {
      queryClient.setQueryData(key, members);
      refreshOwn(user);
    },
  });
  const remove = useMutation({
    mutationFn: async (user: number) =>
      unwrap(await api.DELETE("/api/libraries/{library_id}/members/{user_id}", { params: { path: { ...path, user_id: user } } })),
    onSuccess: (_data, user) => {
      queryClient.setQueryData<LibraryMember[]>(key, (members) => members?.filter((m) => m.user_id !== user));
      refreshOwn(user);
    },
  });
  return { add, setRole, remove };
}

// --- Named dates (birthdays, anniversaries: event tags, docs/classifiers.md) ---------------

export const namedDateKeys = { list: (id: number) => ["libraries", id, "events"] as const };

export function useNamedDates(id: number) {
  return useQuery({
    queryKey: namedDateKeys.list(id),
    queryFn: async () => unwrap(await api.GET("/api/libraries/{library_id}/events", { params: { path: { library_id: id } } })),
  });
}

function useNamedDateMutation<Vars, Data>(id: number, mutationFn: (vars: Vars) => Promise<Data>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: namedDateKeys.list(id) }),
  });
}

export function useAddNamedDate(id: number) {
  return useNamedDateMutation(id, async (body: NamedDateBody) =>
    unwrap(await api.POST("/api/libraries/{library_id}/events", { params: { path: { library_id: id } }, body })),
  );
}

export function useRemoveNamedDate(id: number) {
  return useNamedDateMutation(id, async (eventId: number) =>
    unwrap(
      await api.DELETE("/api/libraries/{library_id}/events/{event_id}", {
        params: { path: { library_id: id, event_id: eventId } },
      }),
    ),
  );
}
