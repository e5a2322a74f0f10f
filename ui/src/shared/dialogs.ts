import { type RefObject, useEffect, useState } from "react";

/**
 * Shows a native `<dialog>` as modal while the component is mounted (the page behind is inert,
 * focus moves into it), and puts focus back on the element that had it before — the button that
 * opened it — when it goes. The browser does that itself only for a dialog closed with
 * `close()`, not for one removed from the page, which is how these dialogs close.
 */
export function useModalDialog(ref: RefObject<HTMLDialogElement | null>): void {
  // Read before the dialog takes the focus (on the first render, ahead of the effect).
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      const focused = document.activeElement;
      const lost = !focused || focused === document.body || !!dialog?.contains(focused);
      // Not when the opener went too (a deleted item), nor when something else took the focus.
      if (lost && opener?.isConnected) opener.focus();
    };
  }, [ref, opener]);
}
