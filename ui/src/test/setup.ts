import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

// findBy*/waitFor wait for the state a test asserts. Testing Library gives up after 1 s, which a
// busy machine (CI running suites side by side) can exceed while React renders: the wait is
// for the state, and this deadline is only how long before a real failure is called one.
configure({ asyncUtilTimeout: 15_000 });

afterEach(() => {
  cleanup();
  // Cookies live on the shared jsdom document; no test may see another's.
  for (const cookie of document.cookie.split(";")) {
    const name = cookie.split("=")[0]?.trim();
    if (name) document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`;
  }
});

// jsdom has <dialog> but not its modal methods; enough of them for components that use one,
// including what a browser does on Escape: a cancelable "cancel" at the topmost modal dialog,
// then closing it unless cancelled.
if (typeof HTMLDialogElement !== "undefined" && !("showModal" in HTMLDialogElement.prototype)) {
  const modals: HTMLDialogElement[] = [];
  Object.assign(HTMLDialogElement.prototype, {
    showModal(this: HTMLDialogElement) {
      this.open = true;
      modals.push(this);
    },
    close(this: HTMLDialogElement) {
      if (!this.open) return;
      this.open = false;
      this.dispatchEvent(new Event("close"));
    },
  });
  window.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    const top = modals.filter((dialog) => dialog.open && dialog.isConnected).at(-1);
    modals.splice(0, modals.length, ...modals.filter((dialog) => dialog.open && dialog.isConnected));
    if (top && top.dispatchEvent(new Event("cancel", { cancelable: true }))) top.close();
  });
}
