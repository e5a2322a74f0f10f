import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { useParams, useSearchParams } from "react-router";
import { errorMessage } from "../api/errors";
import type { ShareInfo, SharePhoto } from "../api/types";
import { formatCoordinates, formatDate, formatExposureTime, formatTakenAt, formatTakenDay, plural } from "../shared/format";
import { QueryState } from "../shared/QueryState";
import { placeholderDataURL } from "../shared/thumbhash";
import {
  formatAperture,
  formatFocal,
  neighbour,
  photoParam,
  shareImageUrl,
  shareOriginalUrl,
  shareZipUrl,
  shareState,
  tooManyAttemptsMessage,
  unlockProblem,
} from "./logic";
import { useShareInfo, useSharePhoto, useSharePhotos, useUnlock } from "./queries";
import "./share.css";

/**
 * The public page of a share link, for visitors without an account: the password form when the
 * link is locked, then the shared photos and a viewer. It links nowhere else in the app and loads
 * nothing outside `/api/share/<token>/`.
 */
export function SharePage() {
  const { token = "" } = useParams();
  const info = useShareInfo(token);
  const state = shareState(info);

  useEffect(() => {
    const title = info.data?.title;
    document.title = state === "open" && title ? `${title} · Photonix` : "Shared photos · Photonix";
  }, [state, info.data?.title]);

  return (
    <div className="share">
      {state === "loading" && (
        <main className="splash" aria-busy="true">
          <p className="muted">Opening the link…</p>
        </main>
      )}
      {state === "missing" && (
        <main className="splash">
          <div className="card splash__card">
            <h1>Link not found</h1>
            <p>This link does not exist, has expired, or was revoked by the person who shared it.</p>
          </div>
        </main>
      )}
      {state === "error" && (
        <main className="splash">
          <div className="card splash__card" role="alert">
            <h1>The photos cannot be shown right now</h1>
            <p>{errorMessage(info.error)}</p>
            <button type="button" className="button button--primary" onClick={() => void info.refetch()}>
              Try again
            </button>
          </div>
        </main>
      )}
      {state === "locked" && <UnlockForm token={token} />}
      {state === "open" && info.data && <Gallery token={token} info={info.data} />}
      <footer className="share__footer muted">Shared with Photonix</footer>
    </div>
  );
}

/** Seconds left of a wait, counting down once a second; start it with the returned setter. */
function useCountdown(): [number, (seconds: number) => void] {
  const [left, setLeft] = useState(0);
  useEffect(() => {
    if (left <= 0) return;
    const timer = window.setTimeout(() => setLeft((value) => Math.max(0, value - 1)), 1000);
    return () => window.clearTimeout(timer);
  }, [left]);
  return [left, setLeft];
}

function UnlockForm({ token }: { token: string }) {
  const unlock = useUnlock(token);
  const [password, setPassword] = useState("");
  const [left, startWait] = useCountdown();
  const inputRef = useRef<HTMLInputElement>(null);
  const id = useId();
  const problem = unlock.isError ? unlockProblem(unlock.error) : null;
  const waiting = left > 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!password || waiting) return;
    unlock.mutate(password, {
      onError: (error) => {
        const { wait } = unlockProblem(error);
        startWait(wait ?? 0);
        setPassword("");
        inputRef.current?.focus();
      },
    });
  };

  const message = problem ? (problem.wait !== null ? (waiting ? tooManyAttemptsMessage(left) : "You can try again now.") : problem.message) : null;

  return (
    <main className="splash">
      <form className="card splash__card form share__unlock" onSubmit={submit} noValidate>
        <h1>This link is protected</h1>
        <p className="muted">Enter the password you were given with the link.</p>
        {message && (
          <div className="alert" role="alert">
            {message}
          </div>
        )}
        <div className="field">
          <label htmlFor={`${id}-password`}>Password</label>
          <input
            ref={inputRef}
            id={`${id}-password`}
            type="password"
            autoComplete="off"
            autoFocus
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </div>
        <button type="submit" className="button button--primary" disabled={unlock.isPending || waiting || !password}>
          {unlock.isPending ? "Checking…" : "Unlock"}
        </button>
      </form>
    </main>
  );
}

function Gallery({ token, info }: { token: string; info: ShareInfo }) {
  const photos = useSharePhotos(token, true);
  const [params, setParams] = useSearchParams();
  const open = photoParam(params.get("photo"));
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = photos;

  useEffect(() => {
    const element = sentinel.current;
    if (!element || !hasNextPage || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
    }, { rootMargin: "600px" });
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const show = (id: number | null) => {
    const next = new URLSearchParams(params);
    if (id === null) next.delete("photo");
    else next.set("photo", String(id));
    setParams(next, { replace: open !== null && id !== null });
  };

  const expiry = formatDate(info.expires_at);

  return (
    <>
      <header className="share__header">
        <h1>{info.title || "Shared photos"}</h1>
        {info.description && <p className="share__description">{info.description}</p>}
        <p className="muted">
          {plural(info.photo_count ?? 0, "photo")}
          {expiry && ` · available until ${expiry}`}
        </p>
        {info.allow_download && (info.photo_count ?? 0) > 1 && (
          <a className="button" href={shareZipUrl(token)} download>
            Download all (zip)
          </a>
        )}
      </header>
      <main className="share__main">
        <QueryState query={photos} loading="Loading photos…" error="Could not load the photos.">
          {() =>
            photos.photos.length === 0 ? (
              <p className="muted">There are no photos here (any more).</p>
            ) : (
              <ul className="share-grid" aria-label="Shared photos">
                {photos.photos.map((photo, index) => (
                  <GridItem key={photo.id} token={token} photo={photo} index={index} onOpen={() => show(photo.id)} />
                ))}
              </ul>
            )
          }
        </QueryState>
        <div ref={sentinel} />
        {photos.hasNextPage && (
          <button
            type="button"
            className="button share__more"
            disabled={photos.isFetchingNextPage}
            onClick={() => void photos.fetchNextPage()}
          >
            {photos.isFetchingNextPage ? "Loading…" : "Show more"}
          </button>
        )}
      </main>
      {open !== null && (
        <Viewer
          token={token}
          info={info}
          id={open}
          ids={photos.photos.map((photo) => photo.id)}
          hasMore={!!hasNextPage && !isFetchingNextPage}
          loadMore={fetchNextPage}
          onShow={show}
        />
      )}
    </>
  );
}

function GridItem({ token, photo, index, onOpen }: { token: string; photo: SharePhoto; index: number; onOpen: () => void }) {
  const background = placeholderDataURL(photo.placeholder);
  // A share shows visitors no tags or people: its photos are named by position and day.
  const day = formatTakenDay(photo.taken_at);
  const alt = day ? `Photo ${index + 1}, ${day}` : `Photo ${index + 1}`;
  return (
    <li>
      <button
        type="button"
        className="share-grid__item"
        onClick={onOpen}
        data-testid="share-photo"
        style={background ? { backgroundImage: `url("${background}")` } : undefined}
      >
        <img src={shareImageUrl(token, photo.id, "grid", photo.thumbnail_version)} alt={alt} loading="lazy" />
      </button>
    </li>
  );
}

function Viewer({
  token,
  info,
  id,
  ids,
  hasMore,
  loadMore,
  onShow,
}: {
  token: string;
  info: ShareInfo;
  id: number;
  ids: readonly number[];
  hasMore: boolean;
  loadMore: () => Promise<unknown>;
  onShow: (id: number | null) => void;
}) {
  const detail = useSharePhoto(token, id);
  const previous = neighbour(ids, id, -1);
  const next = neighbour(ids, id, 1);
  const closeRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const position = ids.indexOf(id);

  useEffect(() => {
    closeRef.current?.focus();
  }, []);
  useEffect(() => {
    if (next === null && hasMore && position !== -1) void loadMore();
  }, [next, hasMore, position, loadMore]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") onShow(null);
      else if (event.key === "ArrowLeft" && previous !== null) onShow(previous);
      else if (event.key === "ArrowRight" && next !== null) onShow(next);
      else return;
      event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [previous, next, onShow]);

  const photo = detail.data;
  const facts: [string, string][] = [];
  if (photo && info.show_metadata) {
    if (photo.taken_at) facts.push(["Taken", formatTakenAt(photo.taken_at)]);
    if (photo.camera) facts.push(["Camera", photo.camera]);
    if (photo.lens) facts.push(["Lens", photo.lens]);
    const exposure = [
      formatAperture(photo.aperture),
      formatExposureTime(photo.exposure_time),
      photo.iso !== null ? `ISO ${photo.iso}` : null,
      formatFocal(photo.focal_length, photo.focal_length_35mm),
    ].filter(Boolean);
    if (exposure.length) facts.push(["Exposure", exposure.join(" · ")]);
    if (photo.artist) facts.push(["Artist", photo.artist]);
    if (photo.description) facts.push(["Description", photo.description]);
  }
  if (photo && info.show_location && photo.latitude !== null && photo.longitude !== null) {
    facts.push(["Location", formatCoordinates(photo.latitude, photo.longitude)]);
  }

  return (
    <div className="share-viewer" role="dialog" aria-modal="true" aria-labelledby={titleId}>
      <div className="share-viewer__bar">
        <h2 id={titleId} className="share-viewer__title">
          Photo {position === -1 ? "" : `${position + 1} of ${info.photo_count ?? ids.length}`}
        </h2>
        <div className="share-viewer__actions">
          {photo?.download && (
            <a className="button" href={shareOriginalUrl(token, id)} download>
              Download original
            </a>
          )}
          <button ref={closeRef} type="button" className="button" onClick={() => onShow(null)}>
            Close
          </button>
        </div>
      </div>
      <div className="share-viewer__stage">
        <button
          type="button"
          className="share-viewer__nav share-viewer__nav--prev"
          onClick={() => previous !== null && onShow(previous)}
          disabled={previous === null}
          aria-label="Previous photo"
        >
          ‹
        </button>
        {detail.isError ? (
          <p className="alert" role="alert">
            This photo cannot be shown. {errorMessage(detail.error)}
          </p>
        ) : photo ? (
          <img
            key={photo.id}
            className="share-viewer__image"
            src={shareImageUrl(token, photo.id, "preview", photo.thumbnail_version)}
            alt={photo.description || `Photo ${position + 1}`}
            style={{ backgroundImage: `url("${placeholderDataURL(photo.placeholder)}")` }}
          />
        ) : (
          <p className="muted">Loading…</p>
        )}
        <button
          type="button"
          className="share-viewer__nav share-viewer__nav--next"
          onClick={() => next !== null && onShow(next)}
          disabled={next === null}
          aria-label="Next photo"
        >
          ›
        </button>
      </div>
      {facts.length > 0 && (
        <dl className="share-viewer__info" aria-label="About this photo">
          {facts.map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}
