import { useState } from "react";
import { Link } from "react-router";
import { errorMessage } from "../api/errors";
import type { DuplicateGroup, DuplicatePhoto } from "../api/types";
import { gridUrl } from "../shared/photoUrls";
import { photoPath, stackPath } from "../shared/routes";
import { useDuplicateGroups, useStackCreate } from "./queries";
import "./duplicates.css";

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** What the numbers behind the rank mean, in a tile's words. */
function facts(photo: DuplicatePhoto): string {
  const size = photo.width && photo.height ? `${photo.width}×${photo.height}` : "size unknown";
  return `${size} · sharpness ${Math.round(photo.sharpness)} · well exposed ${Math.round(photo.exposure * 100)} %`;
}

/** One group: its shots best first; the person picks the one to keep (the best by default). */
function GroupCard({ group, onStacked }: { group: DuplicateGroup; onStacked: (cover: number, count: number) => void }) {
  const [keep, setKeep] = useState(group.best);
  const stack = useStackCreate();
  const title = group.kind === "burst" ? "Burst" : "Duplicates";
  const name = `group-${group.photos.map((p) => p.id).join("-")}`;
  return (
    <section className="dupes__group" aria-label={`${title}, ${plural(group.photos.length, "photo")}`} data-testid="duplicate-group">
      <h2>
        {title} <span className="muted">· {plural(group.photos.length, "photo")}</span>
      </h2>
      <ol className="dupes__shots">
        {group.photos.map((photo, rank) => (
          <li key={photo.id} className={photo.id === keep ? "dupes__shot dupes__shot--keep" : "dupes__shot"} data-photo-id={photo.id}>
            <Link to={photoPath(photo.id)} aria-label={`Open ${photo.file_name}`}>
              <img src={gridUrl(photo.id, photo.thumbnail_version)} alt="" loading="lazy" />
            </Link>
            <label className="dupes__choice">
              <input type="radio" name={name} checked={photo.id === keep} onChange={() => setKeep(photo.id)} />
              <span>
                {rank === 0 ? <strong>Best · </strong> : null}
                {photo.file_name}
              </span>
            </label>
            <span className="muted dupes__facts">{facts(photo)}</span>
          </li>
        ))}
      </ol>
      <div className="dupes__actions">
        <button
          type="button"
          className="button button--primary"
          disabled={stack.isPending}
          onClick={() =>
            stack.mutate(
              { photos: group.photos.map((p) => p.id), cover: keep },
              { onSuccess: (made) => onStacked(made.cover, made.stack_count) },
            )
          }
        >
          {keep === group.best ? "Keep the best, stack the rest" : "Keep this one, stack the rest"}
        </button>
        {stack.isError && (
          <span className="field__error" role="alert">
            Could not stack them. {errorMessage(stack.error)}
          </span>
        )}
      </div>
    </section>
  );
}

/** Near-duplicates and bursts, to keep the best of each and stack the rest. */
export function DuplicatesPage() {
  const groups = useDuplicateGroups();
  const [done, setDone] = useState<{ cover: number; count: number } | null>(null);
  return (
    <div className="dupes">
      <h1>Duplicates</h1>
      <p className="muted">
        Copies of one picture (re-encoded, resized) and bursts shot seconds apart, the sharpest, largest and best
        exposed first. Stacking hides the others behind the one you keep; nothing is deleted, and a stack can be undone.
      </p>
      {done && (
        <p role="status" className="dupes__done">
          Stacked {plural(done.count, "photo")}. <Link to={stackPath(done.cover)}>Open the stack</Link>
        </p>
      )}
      {groups.isPending && <p className="muted">Looking for duplicates…</p>}
      {groups.isError && (
        <p className="field__error" role="alert">
          Could not list the duplicates. {errorMessage(groups.error)}
        </p>
      )}
      {groups.data && groups.data.groups.length === 0 && <p className="muted">No duplicates or bursts to review.</p>}
      {groups.data && groups.data.count > groups.data.groups.length && (
        <p className="muted">
          The newest {groups.data.groups.length} of {groups.data.count} groups; more appear as you stack these.
        </p>
      )}
      {groups.data?.groups.map((group) => (
        <GroupCard key={group.photos.map((p) => p.id).join("-")} group={group} onStacked={(cover, count) => setDone({ cover, count })} />
      ))}
    </div>
  );
}
