import { type ReactNode, useLayoutEffect, useMemo, useState } from "react";
import { createPortal } from "react-dom";
import { Outlet } from "react-router";
import type { User } from "../api/types";
import { AppHeader } from "./AppHeader";
import { PasswordPrompt } from "./PasswordPrompt";
import { useSession } from "./session";
import { ShellContext, useShell } from "./shell";

/**
 * The layout route of the signed-in pages: the header (brand, navigation, jobs, the user), then
 * the page. A page sized by its content sits in the centred main column; a full-window page
 * (`fill`: the timeline, the map) gets the rest of the window and lays out its own `<main>`.
 */
export function AppShell({ fill = false }: { fill?: boolean }) {
  const { data: session } = useSession();
  // The route gate sends a signed-out visitor to the login page before this renders.
  if (!session?.user) return null;
  return <SignedInShell user={session.user} fill={fill} />;
}

function SignedInShell({ user, fill }: { user: User; fill: boolean }) {
  // State rather than a ref: an overlay mounted with the shell learns the element on the next render.
  const [element, setElement] = useState<HTMLDivElement | null>(null);
  const shell = useMemo(() => ({ user, element }), [user, element]);
  return (
    <ShellContext value={shell}>
      <div ref={setElement} className={fill ? "shell shell--app" : "shell"}>
        <AppHeader user={user} />
        <PasswordPrompt />
        {fill ? (
          <Outlet />
        ) : (
          <main className="shell__main">
            <Outlet />
          </main>
        )}
      </div>
    </ShellContext>
  );
}

/**
 * Shows its children over the whole window (the album's viewer) and makes the shell behind them
 * inert: no focus, clicks or keys reach the page until the overlay closes.
 */
export function ShellOverlay({ children }: { children: ReactNode }) {
  const { element } = useShell();
  // A layout effect, so the page is usable again in the same commit that closes the overlay
  // (the page can move focus back to where it was right away).
  useLayoutEffect(() => {
    if (!element) return;
    element.setAttribute("inert", "");
    return () => element.removeAttribute("inert");
  }, [element]);
  return createPortal(children, document.body);
}
