import { useState } from "react";
import { errorMessage } from "../api/errors";
import type { Filters } from "../shared/filters";
import { plural } from "../shared/format";
import { ConfirmModal } from "../shared/Modal";
import { curateView, emptiedText, switchView, useEmptyTrash, useTrashStatus, VIEWS } from "./curate";

/** The timeline's views: all photos, the favourites, the archive and the trash. */
export function CurateViews({ filters, onChange }: { filters: Filters; onChange: (next: Filters) => void }) {
  const current = curateView(filters);
  return (
    <nav className="curate-views" aria-label="Views">
      {VIEWS.map(({ view, label }) => (
        <button
          key={view}
          type="button"
          className={`curate-views__item${view === current ? " curate-views__item--on" : ""}`}
          aria-current={view === current ? "page" : undefined}
          onClick={() => onChange(switchView(filters, view))}
        >
          {label}
        </button>
      ))}
    </nav>
  );
}

/** Above the trash: how long photos stay, and "Empty trash". */
export function TrashNotice({ empty }: { empty: boolean }) {
  const status = useTrashStatus(true);
  const emptyTrash = useEmptyTrash();
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState("");
  const days = status.data?.days;
  const count = status.data?.count ?? 0;
  return (
    <div className="notice curate-trash" data-testid="trash-notice">
      <p>
        Photos in the trash are deleted for good after {days ? plural(days, "day") : "some days"}. Restore them to
        bring them back where they were.
      </p>
      {!empty && (
        <button type="button" className="button button--small button--danger" onClick={() => setConfirming(true)} disabled={emptyTrash.isPending}>
          Empty trash
        </button>
      )}
      <span role="status">
        {emptyTrash.isError ? <span className="field__error">{errorMessage(emptyTrash.error)}</span> : done}
      </span>
      {confirming && (
        <ConfirmModal
          title={`Empty the trash (${plural(count, "photo")})?`}
          confirmLabel="Empty trash"
          busy={emptyTrash.isPending}
          onCancel={() => setConfirming(false)}
          onConfirm={() =>
            emptyTrash.mutate(undefined, {
              onSuccess: (result) => setDone(emptiedText(result)),
              onSettled: () => setConfirming(false),
            })
          }
        >
          The photos leave their albums and share links for good. Their original files are deleted only if they were
          uploaded or the library allows deleting originals; otherwise they stay on disk and are left out of future scans.
        </ConfirmModal>
      )}
    </div>
  );
}
