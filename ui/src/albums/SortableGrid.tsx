import { type KeyboardEvent, type PointerEvent, useLayoutEffect, useRef, useState } from "react";
import type { AlbumPhoto } from "../api/types";
import { photoAlt } from "../shared/photoText";
import { FailedBadge } from "../shared/FailedBadge";
import { gridUrl } from "../shared/photoUrls";
import { placeholderDataURL } from "../shared/thumbhash";
import { dropIndex, keyboardTarget, moveItem } from "./logic";

interface Drag {
  id: number;
  pointerId: number;
  startX: number;
  startY: number;
  moving: boolean;
  target: { id: number; after: boolean } | null;
}

const DRAG_THRESHOLD_PX = 5;

function columnsOf(list: HTMLElement | null): number {
  const items = list ? Array.from(list.querySelectorAll<HTMLElement>("[data-photo-id]")) : [];
  const first = items[0]?.getBoundingClientRect().top;
  if (first === undefined) return 1;
  return Math.max(1, items.filter((item) => item.getBoundingClientRect().top === first).length);
}

/**
 * The album's photos as a grid. A click (or Enter) opens the photo in the viewer; the checkbox (or
 * X) selects, and while some photos are selected a click selects too. Editors reorder by dragging a
 * photo (mouse, pen or touch) onto another — it lands before it, or after it when dropped on its
 * right half; a drag never opens the viewer — or with the keyboard: Space picks the focused photo
 * up, the arrow keys (Home, End) move it, Space drops it there and Escape puts it back.
 */
export function SortableGrid({
  photos,
  selected,
  coverId,
  canReorder,
  onToggle,
  onOpen,
  onMove,
}: {
  photos: readonly AlbumPhoto[];
  selected: ReadonlySet<number>;
  coverId: number | null;
  canReorder: boolean;
  onToggle: (id: number) => void;
  /** Open photo `id` in the viewer. */
  onOpen: (id: number) => void;
  /** Move photo `id` to index `to` of the list. */
  onMove: (id: number, to: number) => void;
}) {
  const listRef = useRef<HTMLUListElement>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  // The live drag, read by the pointer handlers before React has re-rendered.
  const dragRef = useRef<Drag | null>(null);
  // Keyboard move in progress: the photo and the order shown meanwhile.
  const [grab, setGrab] = useState<{ id: number; order: number[] } | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const suppressClick = useRef(false);

  const byId = new Map(photos.map((photo) => [photo.id, photo]));
  const order = grab ? grab.order : photos.map((photo) => photo.id);
  const total = order.length;

  // Moving a focused element in the DOM blurs it: focus goes back to it right after the render.
  const pendingFocus = useRef<number | null>(null);
  const focusPhoto = (id: number) => {
    pendingFocus.current = id;
    listRef.current?.querySelector<HTMLElement>(`[data-photo-id="${id}"]`)?.focus();
  };
  useLayoutEffect(() => {
    const id = pendingFocus.current;
    if (id === null) return;
    pendingFocus.current = null;
    const item = listRef.current?.querySelector<HTMLElement>(`[data-photo-id="${id}"]`);
    if (item && document.activeElement !== item) item.focus();
  });

  // While photos are selected, a click adds to the selection (or takes away); otherwise it opens.
  const activate = (id: number) => (selected.size > 0 ? onToggle(id) : onOpen(id));

  const onKeyDown = (event: KeyboardEvent<HTMLLIElement>, id: number) => {
    if (event.target !== event.currentTarget) return;
    const index = order.indexOf(id);
    if (!grab) {
      if (event.key === "Enter") {
        event.preventDefault();
        activate(id);
        return;
      }
      if (event.key === " " || event.key.toLowerCase() === "x") {
        event.preventDefault();
        if (canReorder && event.key === " ") {
          setGrab({ id, order });
          setAnnouncement(
            `Picked up photo ${index + 1} of ${total}. Use the arrow keys to move it, Space to drop it, Escape to cancel.`,
          );
        } else {
          onToggle(id);
        }
        return;
      }
      // Arrow keys move the focus around the grid.
      const target = keyboardTarget(event.key, index, total, columnsOf(listRef.current));
      if (target !== null) {
        event.preventDefault();
        const next = order[target];
        if (next !== undefined) focusPhoto(next);
      }
      return;
    }
    if (grab.id !== id) return;
    if (event.key === "Escape") {
      event.preventDefault();
      const original = photos.findIndex((photo) => photo.id === id);
      setGrab(null);
      setAnnouncement(`Move cancelled. The photo is back at position ${original + 1} of ${total}.`);
      focusPhoto(id);
      return;
    }
    if (event.key === " " || event.key === "Enter") {
      event.preventDefault();
      setGrab(null);
      setAnnouncement(`Dropped the photo at position ${index + 1} of ${total}.`);
      onMove(id, index);
      focusPhoto(id);
      return;
    }
    const target = keyboardTarget(event.key, index, total, columnsOf(listRef.current));
    if (target !== null) {
      event.preventDefault();
      setGrab({ id, order: moveItem(grab.order, index, target) });
      setAnnouncement(`Position ${target + 1} of ${total}.`);
      focusPhoto(id);
    }
  };

  const targetAt = (x: number, y: number, dragged: number): Drag["target"] => {
    for (const element of document.elementsFromPoint(x, y)) {
      const item = (element as HTMLElement).closest?.<HTMLElement>("[data-photo-id]");
      if (!item || !listRef.current?.contains(item)) continue;
      const id = Number(item.dataset.photoId);
      if (id === dragged) return null;
      const rect = item.getBoundingClientRect();
      return { id, after: x > rect.left + rect.width / 2 };
    }
    return null;
  };

  const onPointerDown = (event: PointerEvent<HTMLLIElement>, id: number) => {
    suppressClick.current = false;
    if (!canReorder || event.button !== 0 || grab) return;
    if ((event.target as HTMLElement).closest("input, button, a")) return;
    event.currentTarget.setPointerCapture?.(event.pointerId);
    dragRef.current = { id, pointerId: event.pointerId, startX: event.clientX, startY: event.clientY, moving: false, target: null };
  };

  const onPointerMove = (event: PointerEvent<HTMLLIElement>) => {
    const current = dragRef.current;
    if (!current || current.pointerId !== event.pointerId) return;
    const moving =
      current.moving ||
      Math.hypot(event.clientX - current.startX, event.clientY - current.startY) > DRAG_THRESHOLD_PX;
    if (!moving) return;
    event.preventDefault();
    const next = { ...current, moving, target: targetAt(event.clientX, event.clientY, current.id) };
    dragRef.current = next;
    setDrag(next);
  };

  const endDrag = () => {
    dragRef.current = null;
    setDrag(null);
  };

  const onPointerUp = (event: PointerEvent<HTMLLIElement>) => {
    const current = dragRef.current;
    if (!current || current.pointerId !== event.pointerId) return;
    endDrag();
    if (!current.moving) return;
    suppressClick.current = true;
    const target = targetAt(event.clientX, event.clientY, current.id) ?? current.target;
    if (!target) return;
    const from = order.indexOf(current.id);
    const to = dropIndex(from, order.indexOf(target.id), target.after);
    if (to !== from) {
      onMove(current.id, to);
      setAnnouncement(`Moved the photo to position ${to + 1} of ${total}.`);
    }
  };

  return (
    <>
      <p className="visually-hidden" aria-live="assertive">
        {announcement}
      </p>
      <ul
        ref={listRef}
        className={drag?.moving ? "album-grid album-grid--dragging" : "album-grid"}
        aria-label="Photos in this album"
        aria-describedby="album-grid-help"
      >
        {order.map((id, index) => {
          const photo = byId.get(id);
          if (!photo) return null;
          const isSelected = selected.has(id);
          const classes = ["album-tile"];
          if (isSelected) classes.push("album-tile--selected");
          if (grab?.id === id) classes.push("album-tile--grabbed");
          if (drag?.moving && drag.id === id) classes.push("album-tile--dragged");
          if (drag?.target?.id === id) classes.push(drag.target.after ? "album-tile--drop-after" : "album-tile--drop-before");
          const background = placeholderDataURL(photo.placeholder);
          const alt = photoAlt(photo);
          const label = `${index + 1} of ${total}: ${alt}`;
          return (
            <li
              key={id}
              className={classes.join(" ")}
              data-photo-id={id}
              data-testid="album-photo"
              tabIndex={0}
              aria-label={label}
              aria-roledescription={canReorder ? "movable photo" : undefined}
              onKeyDown={(event) => onKeyDown(event, id)}
              onPointerDown={(event) => onPointerDown(event, id)}
              onPointerMove={onPointerMove}
              onPointerUp={onPointerUp}
              onPointerCancel={endDrag}
              onClick={(event) => {
                if (suppressClick.current) {
                  suppressClick.current = false;
                  return;
                }
                if ((event.target as HTMLElement).closest("input")) return;
                activate(id);
              }}
            >
              <span
                className="album-tile__image"
                style={background ? { backgroundImage: `url("${background}")` } : undefined}
              >
                {(!photo.failed || photo.thumbnail_version > 0) && (
                  <img src={gridUrl(id, photo.thumbnail_version)} alt={alt} draggable={false} loading="lazy" />
                )}
                {photo.failure && <FailedBadge reason={photo.failure} />}
              </span>
              <input
                type="checkbox"
                className="album-tile__check"
                checked={isSelected}
                onChange={() => onToggle(id)}
                aria-label={`Select photo ${index + 1}`}
                tabIndex={-1}
              />
              {coverId === id && !photo.failed && <span className="album-tile__badge">Cover</span>}
            </li>
          );
        })}
      </ul>
      <p id="album-grid-help" className="muted album-grid__help">
        {canReorder
          ? "Click a photo to open it; drag photos to reorder them. With the keyboard: Enter opens the focused photo, X selects it, Space picks it up, the arrow keys move it, Space drops it, Escape cancels."
          : "Click a photo to open it. With the keyboard: Enter opens the focused photo, Space or X selects it."}
      </p>
    </>
  );
}
