import { useEffect, useRef, useState } from "react";
import { isTyping } from "./keys";

const SHORTCUTS: { section: string; keys: [string, string][] }[] = [
  {
    section: "Everywhere",
    keys: [
      ["?", "Show or hide this help"],
      ["Esc", "Close a dialog, the viewer or the selection"],
    ],
  },
  {
    section: "Timeline",
    keys: [
      ["/", "Search"],
      ["f", "Show or hide the filters"],
      ["Ctrl/⌘ + A", "Select all loaded photos"],
      ["h", "Favourite the selected photos (again: unfavourite)"],
      ["a", "Archive the selected photos (in the Archive: unarchive)"],
      ["Delete", "Move the selected photos to the trash"],
      ["r", "In the Trash: restore the selected photos"],
      ["Click ○", "Select a photo"],
      ["Shift + click", "Select a range"],
      ["Ctrl/⌘ + click", "Add to or remove from the selection"],
    ],
  },
  {
    section: "Viewer",
    keys: [
      ["← / →", "Previous / next photo (swipe on touch screens)"],
      ["+ / − / 0", "Zoom in / out / fit (wheel, pinch, double-click)"],
      ["1 … 5", "Rate; 0 with Shift clears the rating"],
      ["r", "Rotate clockwise"],
      ["i", "Show or hide the info panel"],
      ["s", "Similar photos (smart search)"],
      ["f", "Show or hide face boxes"],
      ["o", "Show or hide object boxes"],
      ["d", "Download the original"],
    ],
  },
  {
    section: "Album",
    keys: [
      ["Enter (or click)", "Open the focused photo in the viewer, in the album's order"],
      ["x (or the checkbox)", "Select the focused photo"],
      ["Space, ← ↑ → ↓, Space", "Pick the photo up, move it, drop it (editors; Esc puts it back)"],
    ],
  },
];

/** The keyboard-shortcut overlay, opened with "?" from any signed-in page. */
export function ShortcutsHelp() {
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event) || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === "?") {
        event.preventDefault();
        setOpen((v) => !v);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  useEffect(() => {
    const node = dialog.current;
    if (!node) return;
    if (open && !node.open) {
      if (typeof node.showModal === "function") node.showModal();
      else node.setAttribute("open", "");
    } else if (!open && node.open) {
      if (typeof node.close === "function") node.close();
      else node.removeAttribute("open");
    }
  }, [open]);

  return (
    <>
      <button type="button" className="icon-button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={() => setOpen(true)}>
        ?
      </button>
      <dialog ref={dialog} className="dialog" aria-labelledby="shortcuts-title" onClose={() => setOpen(false)}>
        <div className="dialog__header">
          <h2 id="shortcuts-title">Keyboard shortcuts</h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={() => setOpen(false)}>
            ×
          </button>
        </div>
        <div className="shortcuts">
          {SHORTCUTS.map((group) => (
            <section key={group.section}>
              <h3>{group.section}</h3>
              <dl>
                {group.keys.map(([key, what]) => (
                  <div key={key} className="shortcuts__row">
                    <dt>
                      <kbd>{key}</kbd>
                    </dt>
                    <dd>{what}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
      </dialog>
    </>
  );
}
