import { createContext, useContext } from "react";

export interface Notice {
  kind: "ok" | "error";
  text: string;
}

export interface Notifier {
  ok: (text: string) => void;
  error: (text: string) => void;
}

/** How the jobs page's controls report the outcome of an action, in one place at its top. */
export const NoticeContext = createContext<Notifier>({ ok: () => undefined, error: () => undefined });

export function useNotice(): Notifier {
  return useContext(NoticeContext);
}
