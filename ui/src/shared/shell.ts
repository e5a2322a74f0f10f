// What the signed-in pages' shell (AppShell.tsx) gives the pages inside it.
import { createContext, useContext } from "react";
import type { User } from "../api/types";

export interface Shell {
  /** Who is signed in: the shell renders its pages only for a signed-in session. */
  user: User;
  /** The shell's element (header and page), made inert while an overlay covers it. */
  element: HTMLDivElement | null;
}

export const ShellContext = createContext<Shell | null>(null);

export function useShell(): Shell {
  const shell = useContext(ShellContext);
  if (!shell) throw new Error("This page is rendered outside the app shell.");
  return shell;
}

/** The signed-in user, for the pages inside the app shell. */
export function useShellUser(): User {
  return useShell().user;
}
