import { useCallback, useContext, useEffect, useEffectEvent, useLayoutEffect, useRef, useState } from "react";
import { type To, useLocation, useNavigate } from "react-router";
import { errorMessage } from "../api/errors";
import type { TimelineItem } from "../api/types";
import { formatTakenAt } from "../shared/format";
import { isTyping } from "../shared/keys";
import { similarPath } from "../shared/routes";
import { usePhotoDetail } from "../shared/photos";
import { ShellContext } from "../shared/shell";
import { originalUrl, previewUrl } from "../shared/photoUrls";
import { placeholderDataURL } from "../shared/thumbhash";
import { InfoPanel } from "./InfoPanel";
import { FaceNamer } from "../shared/FaceNamer";
import { faceBoxStyle, faceLabel, facePopoverStyle, visibleFaces } from "./faces";
import { objectBoxes, objectLabel } from "./objects";
import { usePhotoFailedJob, usePhotoFaces, usePhotoTags, useRetryJob, useUpdatePhoto } from "./queries";
import { StarRating } from "./StarRating";
import { FIT, fitSize, panBy, swipeDirection, type View, zoomAt } from "./zoom";

/** What the viewer needs of each photo of its sequence (timeline and album items both have it). */
export type ViewerItem = Pick<TimelineItem, "id" | "taken_at" | "width" | "height" | "placeholder" | "thumbnail_version">;

/** The photos the viewer steps through, loaded page by page or all at once. */
export interface ViewerSequence {
  items: readonly ViewerItem[];
  hasNextPage?: boolean;
  isFetchingNextPage?: boolean;
  isPending?: boolean;
  fetchNextPage?: () => unknown;
}

/** The album the viewer was opened in; `onRemove` only when the person may edit it. */
export interface ViewerAlbum {
  name: string;
  onRemove?: (photoId: number) => Promise<unknown>;
}

/** How far a deep-linked photo is looked for in the sequence before giving up on neighbours. */
const SEARCH_LIMIT = 5000;

function hasFrom(state: unknown): boolean {
  return typeof state === "object" && state !== null && "from" in state;
}

function preload(item: ViewerItem | undefined) {
  if (!item) return;
  const image = new Image();
  image.src = previewUrl(item.id, item.thumbnail_version);
}

/**
 * The full-screen viewer of photo `id`, stepping through `sequence` (the timeline's filtered pages,
 * an album's photos). `pathFor` is a photo's address in that sequence; closing goes back where the
 * viewer was opened from, or to `closePath` after a deep link.
 */
export function Viewer({
  id,
  sequence,
  pathFor,
  closePath,
  album,
}: {
  id: number;
  sequence: ViewerSequence;
  pathFor: (photoId: number) => string;
  closePath: To;
  /** Opened inside an album: the info panel offers to remove the photo from it. */
  album?: ViewerAlbum;
}) {
  const navigate = useNavigate();
  const location = useLocation();
  const detail = usePhotoDetail(id);
  const update = useUpdatePhoto(id);
  const { items, hasNextPage = false, isFetchingNextPage = false, fetchNextPage, isPending = false } = sequence;
  const index = items.findIndex((p) => p.id === id);
  const item = index >= 0 ? items[index] : undefined;
  const prev = index > 0 ? items[index - 1] : undefined;
  const next = index >= 0 ? items[index + 1] : undefined;
  const [info, setInfo] = useState(() => window.matchMedia?.("(min-width: 1100px)").matches ?? false);
  const [showFaces, setShowFaces] = useState(false);
  const [showObjects, setShowObjects] = useState(false);
  const [view, setView] = useState<View>(FIT);
  const [loaded, setLoaded] = useState<string | null>(null);
  const [natural, setNatural] = useState({ width: 0, height: 0 });
  const stage = useRef<HTMLDivElement>(null);
  // Opened (from a tile, by click or Enter), focus moves into the viewer, as into any dialog; the
  // page that opened it puts focus back on its photo when it closes.
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => closeButton.current?.focus(), []);
  const [stageSize, setStageSize] = useState({ width: 0, height: 0 });

  // A deep link to a photo further down, or the end of the loaded pages: load more.
  useEffect(() => {
    if (!hasNextPage || isFetchingNextPage || isPending || !fetchNextPage) return;
    const searching = index === -1 && items.length < SEARCH_LIMIT;
    const nearEnd = index >= 0 && index >= items.length - 5;
    if (searching || nearEnd) void fetchNextPage();
  }, [index, items.length, hasNextPage, isFetchingNextPage, fetchNextPage, isPending]);

  useEffect(() => {
    preload(next);
    preload(prev);
  }, [next, prev]);

  // Another photo: back to fit (adjusted while rendering, not in an effect).
  const [shownId, setShownId] = useState(id);
  if (shownId !== id) {
    setShownId(id);
    setView(FIT);
    setNatural({ width: 0, height: 0 });
  }

  useLayoutEffect(() => {
    const node = stage.current;
    if (!node) return;
    const measure = () => setStageSize({ width: node.clientWidth, height: node.clientHeight });
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(measure);
    observer.observe(node);
    return () => observer.disconnect();
  }, []);

  // The photo last asked for. Quick presses step from it, not from the photo rendered: a render
  // may still show an earlier step. It follows the URL only when nothing asked is on its way.
  const askedId = useRef(id);
  const stepping = useRef(false);
  useEffect(() => {
    if (askedId.current === id) stepping.current = false;
    else if (!stepping.current) askedId.current = id;
  }, [id]);
  const go = useCallback(
    (target: ViewerItem | undefined) => {
      if (!target) return;
      askedId.current = target.id;
      stepping.current = target.id !== id;
      void navigate(pathFor(target.id), { replace: true, state: location.state as unknown });
    },
    [navigate, pathFor, location.state, id],
  );
  const close = useCallback(() => {
    if (hasFrom(location.state)) void navigate(-1);
    else void navigate(closePath);
  }, [navigate, location.state, closePath]);

  // Removed from the album: show the next photo (or the previous one; none left: close).
  const removeFromAlbum = album?.onRemove
    ? async () => {
        await album.onRemove?.(id);
        const after = next ?? prev;
        if (after) go(after);
        else close();
      }
    : undefined;

  const version = detail.data?.thumbnail_version ?? item?.thumbnail_version ?? 0;
  const src = previewUrl(id, version);
  const placeholder = placeholderDataURL(detail.data?.placeholder ?? item?.placeholder);
  const size = {
    width: natural.width || detail.data?.width || item?.width || 0,
    height: natural.height || detail.data?.height || item?.height || 0,
  };
  const fitted = fitSize(size, stageSize);
  const zoom = useCallback(
    (factor: number, focus = { x: 0, y: 0 }) => setView((v) => zoomAt(v, factor, focus, fitted, stageSize)),
    [fitted, stageSize],
  );
  const file = detail.data ? (detail.data.files.find((f) => f.preferred) ?? detail.data.files[0]) : undefined;

  // An effect event sees the latest photo, so quick key presses never act on a stale one.
  const onKey = useEffectEvent((event: KeyboardEvent) => {
    if (isTyping(event) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (document.querySelector("dialog[open]")) return;
    const key = event.key;
    // Step from the photo last asked for: the URL may not have re-rendered yet.
    const at = items.findIndex((p) => p.id === askedId.current);
    if (key === "ArrowLeft") go(at > 0 ? items[at - 1] : undefined);
    else if (key === "ArrowRight") go(at >= 0 ? items[at + 1] : undefined);
    else if (key === "Escape") close();
    else if (key === "i") setInfo((v) => !v);
    else if (key === "s") void navigate(similarPath(id));
    else if (key === "f") setShowFaces((v) => !v);
    else if (key === "o") setShowObjects((v) => !v);
    else if (key === "+" || key === "=") zoom(1.5);
    else if (key === "-") zoom(1 / 1.5);
    else if (key === "0" && !event.shiftKey) setView(FIT);
    else if (key === ")" || (key === "0" && event.shiftKey)) update.mutate({ rating: 0 });
    else if (/^[1-5]$/.test(key)) update.mutate({ rating: Number(key) });
    else if (key === "r") update.mutate({ turn: 90 });
    else if (key === "d" && file) window.location.assign(originalUrl(file.id));
    else return;
    event.preventDefault();
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKey(event);
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);

  // Pointers: one drags (when zoomed) or swipes; two pinch.
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const gesture = useRef<{ x: number; y: number; t: number; distance: number } | null>(null);
  const centre = (clientX: number, clientY: number) => {
    const rect = stage.current?.getBoundingClientRect();
    return rect ? { x: clientX - rect.left - rect.width / 2, y: clientY - rect.top - rect.height / 2 } : { x: 0, y: 0 };
  };
  const distance = () => {
    const [a, b] = [...pointers.current.values()];
    return a && b ? Math.hypot(a.x - b.x, a.y - b.y) : 0;
  };

  return (
    <div className="viewer" role="dialog" aria-modal="true" aria-label="Photo viewer" data-testid="viewer">
      <div className="viewer__bar">
        <button
          ref={closeButton}
          type="button"
          className="icon-button icon-button--dark"
          aria-label="Close viewer"
          title="Close (Esc)"
          onClick={close}
        >
          ←
        </button>
        <div className="viewer__title">
          <span data-testid="viewer-date">{formatTakenAt(detail.data?.taken_at ?? item?.taken_at)}</span>
          {index >= 0 && (
            <span className="viewer__position" data-testid="viewer-position">
              {index + 1} / {items.length}
              {hasNextPage ? "+" : ""}
            </span>
          )}
        </div>
        <div className="viewer__tools">
          {detail.data && <StarRating value={detail.data.rating ?? 0} onChange={(rating) => update.mutate({ rating })} />}
          <button type="button" className="icon-button icon-button--dark" aria-label="Zoom in" onClick={() => zoom(1.5)}>
            +
          </button>
          <button type="button" className="icon-button icon-button--dark" aria-label="Zoom out" onClick={() => zoom(1 / 1.5)}>
            −
          </button>
          <button
            type="button"
            className={`icon-button icon-button--dark${showFaces ? " icon-button--on" : ""}`}
            aria-label="Faces"
            aria-pressed={showFaces}
            title="Face boxes (f)"
            onClick={() => setShowFaces(!showFaces)}
          >
            ☺
          </button>
          <button
            type="button"
            className={`icon-button icon-button--dark${showObjects ? " icon-button--on" : ""}`}
            aria-label="Objects"
            aria-pressed={showObjects}
            title="Object boxes (o)"
            onClick={() => setShowObjects(!showObjects)}
          >
            ▣
          </button>
          <button
            type="button"
            className="icon-button icon-button--dark"
            aria-label="Similar photos"
            title="Similar photos (s)"
            onClick={() => void navigate(similarPath(id))}
          >
            ≈
          </button>
          <button
            type="button"
            className={`icon-button icon-button--dark${info ? " icon-button--on" : ""}`}
            aria-label="Info"
            aria-pressed={info}
            title="Info (i)"
            onClick={() => setInfo(!info)}
          >
            i
          </button>
        </div>
      </div>
      <div className="viewer__body">
        <div
          ref={stage}
          className={`viewer__stage${view.scale > 1 ? " viewer__stage--zoomed" : ""}`}
          data-testid="viewer-stage"
          onWheel={(event) => zoom(Math.exp(-event.deltaY * 0.002), centre(event.clientX, event.clientY))}
          onDoubleClick={(event) => (view.scale > 1 ? setView(FIT) : zoom(2.5, centre(event.clientX, event.clientY)))}
          onPointerDown={(event) => {
            event.currentTarget.setPointerCapture?.(event.pointerId);
            pointers.current.set(event.pointerId, { x: event.clientX, y: event.clientY });
            gesture.current = { x: event.clientX, y: event.clientY, t: event.timeStamp, distance: distance() };
          }}
          onPointerMove={(event) => {
            const last = pointers.current.get(event.pointerId);
            if (!last) return;
            if (pointers.current.size === 2) {
              const before = distance();
              pointers.current.set(event.pointerId, { x: event.clientX, y: event.clientY });
              const after = distance();
              const [a, b] = [...pointers.current.values()];
              if (before > 0 && a && b) zoom(after / before, centre((a.x + b.x) / 2, (a.y + b.y) / 2));
              return;
            }
            pointers.current.set(event.pointerId, { x: event.clientX, y: event.clientY });
            if (view.scale > 1) setView((v) => panBy(v, event.clientX - last.x, event.clientY - last.y, fitted, stageSize));
          }}
          onPointerUp={(event) => {
            const start = gesture.current;
            const wasPinch = pointers.current.size > 1;
            pointers.current.delete(event.pointerId);
            if (!start || wasPinch || view.scale > 1) return;
            const direction = swipeDirection(event.clientX - start.x, event.clientY - start.y, event.timeStamp - start.t);
            if (direction === -1) go(next);
            else if (direction === 1) go(prev);
          }}
          onPointerCancel={(event) => pointers.current.delete(event.pointerId)}
        >
          <div
            className="viewer__frame"
            style={{
              width: fitted.width || undefined,
              height: fitted.height || undefined,
              transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})`,
              backgroundImage: placeholder ? `url("${placeholder}")` : undefined,
            }}
          >
            <img
              key={src}
              className={`viewer__img${loaded === src ? " viewer__img--loaded" : ""}`}
              src={src}
              alt={detail.data?.description || `Photo taken ${formatTakenAt(detail.data?.taken_at ?? item?.taken_at)}`}
              draggable={false}
              data-testid="viewer-image"
              onLoad={(event) => {
                setLoaded(src);
                setNatural({ width: event.currentTarget.naturalWidth, height: event.currentTarget.naturalHeight });
              }}
            />
            {showObjects && <ObjectBoxes photoId={id} />}
            {showFaces && <FaceBoxes photoId={id} />}
          </div>
          {prev && (
            <button type="button" className="viewer__nav viewer__nav--prev" aria-label="Previous photo" onClick={() => go(prev)}>
              ‹
            </button>
          )}
          {next && (
            <button type="button" className="viewer__nav viewer__nav--next" aria-label="Next photo" onClick={() => go(next)}>
              ›
            </button>
          )}
        </div>
        {info && detail.data && (
          <InfoPanel
            photo={detail.data}
            onClose={() => setInfo(false)}
            album={album ? { name: album.name, onRemove: removeFromAlbum } : undefined}
          />
        )}
        {detail.isError && (
          <p className="viewer__error" role="alert">
            Could not load this photo. {errorMessage(detail.error)}
          </p>
        )}
        {detail.data?.failure && <FailedPhoto key={id} photoId={id} failure={detail.data.failure} />}
      </div>
    </div>
  );
}

/** Why the photo cannot be shown; for an administrator, a Retry of its failed job, after which
 * it says the photo is being processed again (until its image is made and shows). */
function FailedPhoto({ photoId, failure }: { photoId: number; failure: string }) {
  const isAdmin = useContext(ShellContext)?.user.is_admin ?? false;
  const job = usePhotoFailedJob(photoId, isAdmin);
  const retry = useRetryJob();
  if (retry.isSuccess) {
    return (
      <p className="viewer__error viewer__error--retried" role="status" data-testid="viewer-failure">
        Processing this photo again. It shows here once its image is made.
      </p>
    );
  }
  return (
    <div className="viewer__error" data-testid="viewer-failure">
      <p role="status">This photo could not be shown: {failure}</p>
      {job.data && (
        <button
          type="button"
          className="button button--small"
          disabled={retry.isPending}
          onClick={() => job.data && retry.mutate(job.data.id)}
        >
          Retry
        </button>
      )}
      {retry.isError && <p role="alert">Could not retry. {errorMessage(retry.error)}</p>}
    </div>
  );
}

/** Boxes around the things the object detector found on the shown photo, each labelled with its
 * class and score. They only show: a click goes through to the photo. */
function ObjectBoxes({ photoId }: { photoId: number }) {
  const tags = usePhotoTags(photoId, true);
  const shown = objectBoxes(tags.data);
  return (
    <div className="viewer__objects" data-testid="object-boxes" aria-label="Objects on the photo">
      {shown.map((object) => (
        <div key={object.key} className="viewer__object" style={faceBoxStyle(object.box)} title={objectLabel(object)}>
          <span className="viewer__object-name">{objectLabel(object)}</span>
        </div>
      ))}
    </div>
  );
}

/** Boxes over the faces of the shown photo, named when the face belongs to a person; a click on
 * one opens its naming (suggestions of the nearest people and a name field). */
function FaceBoxes({ photoId }: { photoId: number }) {
  const faces = usePhotoFaces(photoId, true);
  const shown = visibleFaces(faces.data ?? []);
  const [open, setOpen] = useState<number | null>(null);
  const chosen = shown.find((face) => face.id === open);
  return (
    // The stage captures pointers for panning and swipes: the boxes keep theirs, so a click lands.
    <div className="viewer__faces" data-testid="face-boxes" onPointerDown={(event) => event.stopPropagation()} onDoubleClick={(event) => event.stopPropagation()}>
      {shown.map((face) => (
        <button
          type="button"
          key={face.id}
          className={`viewer__face${face.id === open ? " viewer__face--open" : ""}`}
          style={faceBoxStyle(face.box)}
          title={faceLabel(face)}
          aria-label={`Face: ${faceLabel(face)}`}
          aria-expanded={face.id === open}
          data-face-id={face.id}
          onClick={() => setOpen(face.id === open ? null : face.id)}
        >
          <span className="viewer__face-name">{faceLabel(face)}</span>
        </button>
      ))}
      {chosen && (
        <div
          className="viewer__face-popover"
          role="dialog"
          aria-label={`Name face ${chosen.id}`}
          style={facePopoverStyle(chosen.box)}
          onKeyDown={(event) => {
            if (event.key !== "Escape") return;
            event.stopPropagation(); // closes the popover, not the viewer
            setOpen(null);
          }}
        >
          <div className="viewer__face-popover-head">
            <strong>{chosen.person_name ? `${faceLabel(chosen)}?` : "Who is this?"}</strong>
            <button type="button" className="icon-button" aria-label="Close" onClick={() => setOpen(null)}>
              ×
            </button>
          </div>
          <FaceNamer key={chosen.id} face={chosen} onDone={() => setOpen(null)} />
        </div>
      )}
    </div>
  );
}
