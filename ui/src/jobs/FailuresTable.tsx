import { useState } from "react";
import { Link } from "react-router";
import { errorMessage } from "../api/errors";
import type { Job } from "../api/types";
import { formatCount, plural } from "../shared/format";
import { gridUrl } from "../shared/photoUrls";
import { photoPath } from "../shared/routes";
import {
  failedAt,
  type FailuresPage,
  fileTypeLabel,
  formatExact,
  formatWhen,
  photoName,
  reasonOf,
  stageLabel,
} from "./logic";
import { useNotice } from "./notice";
import type { JobActions } from "./queries";

interface FailuresTableProps {
  page: FailuresPage;
  actions: JobActions;
}

/** Failed jobs still to look at: why, when, and a way to retry or dismiss each or all. */
export function FailuresTable({ page, actions }: FailuresTableProps) {
  const notify = useNotice();
  const { retryAll, dismissAll } = actions;
  const none = page.count === 0;

  return (
    <>
      <div className="section__actions">
        <button
          type="button"
          className="button button--small"
          disabled={none || retryAll.isPending}
          onClick={() =>
            retryAll.mutate(undefined, {
              onSuccess: ({ retried }) => notify.ok(`Sent ${plural(retried, "failed job")} to run again.`),
              onError: (error) => notify.error(`Could not retry the failures. ${errorMessage(error)}`),
            })
          }
        >
          Retry all failed
        </button>
        <button
          type="button"
          className="button button--small"
          disabled={none || dismissAll.isPending}
          onClick={() =>
            dismissAll.mutate(undefined, {
              onSuccess: ({ dismissed }) => notify.ok(`Dismissed ${plural(dismissed, "failure")}.`),
              onError: (error) => notify.error(`Could not dismiss the failures. ${errorMessage(error)}`),
            })
          }
        >
          Dismiss all
        </button>
      </div>
      {none ? (
        <p className="muted">No failures to look at.</p>
      ) : (
        <div className="table-wrap">
          <table className="table failures">
            <thead>
              <tr>
                <th scope="col">Photo</th>
                <th scope="col">Stage</th>
                <th scope="col">Reason</th>
                <th scope="col">Failed</th>
                <th scope="col" className="table__num">
                  Attempts
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            {page.jobs.map((job) => (
              <FailureRows key={job.id} job={job} actions={actions} />
            ))}
          </table>
        </div>
      )}
      {page.count > page.jobs.length && (
        <p className="muted table__more">
          Showing the newest {formatCount(page.jobs.length)} of {plural(page.count, "failure")}.
        </p>
      )}
    </>
  );
}

function FailureRows({ job, actions }: { job: Job; actions: JobActions }) {
  const [open, setOpen] = useState(false);
  const notify = useNotice();
  const { retry, dismiss } = actions;
  const busy =
    (retry.isPending && retry.variables === job.id) || (dismiss.isPending && dismiss.variables === job.id);
  const when = failedAt(job);
  const tracebackId = `traceback-${job.id}`;
  const name = photoName(job);

  return (
    // One body per failure keeps its traceback row next to it.
    <tbody data-testid={`failure-${job.id}`}>
      <tr>
        <td className="failures__photo">
          <PhotoCell job={job} />
        </td>
        <td>{stageLabel(job.stage)}</td>
        <td className="failures__reason">
          <span className="failures__error">{reasonOf(job)}</span>
          <button
            type="button"
            className="link-button failures__toggle"
            aria-expanded={open}
            aria-controls={tracebackId}
            onClick={() => setOpen(!open)}
          >
            {open ? "Hide traceback" : "Show traceback"}
          </button>
        </td>
        <td>
          {when ? (
            <time dateTime={when} title={formatExact(when)}>
              {formatWhen(when)}
            </time>
          ) : (
            "—"
          )}
        </td>
        <td className="table__num">{job.attempts}</td>
        <td className="failures__actions">
          <button
            type="button"
            className="button button--small"
            aria-label={`Retry job ${job.id}`}
            disabled={busy}
            onClick={() =>
              retry.mutate(job.id, {
                onSuccess: () =>
                  notify.ok(
                    name === null
                      ? `Sent the ${stageLabel(job.stage)} job to run again.`
                      : `Sent the ${stageLabel(job.stage)} job of ${name} to run again.`,
                  ),
                onError: (error) => notify.error(`Could not retry job ${job.id}. ${errorMessage(error)}`),
              })
            }
          >
            Retry
          </button>
          <button
            type="button"
            className="button button--small"
            aria-label={`Dismiss job ${job.id}`}
            disabled={busy}
            onClick={() =>
              dismiss.mutate(job.id, {
                onSuccess: () => notify.ok(`Dismissed the failure of job ${job.id}.`),
                onError: (error) => notify.error(`Could not dismiss job ${job.id}. ${errorMessage(error)}`),
              })
            }
          >
            Dismiss
          </button>
        </td>
      </tr>
      <tr id={tracebackId} className="failures__traceback" hidden={!open}>
        <td colSpan={6}>
          <pre>{job.traceback || job.error || "No traceback recorded."}</pre>
        </td>
      </tr>
    </tbody>
  );
}

/** The failed job's photo: its thumbnail (or a type icon while it has none) and file name, a
 * link to the photo. A job of no photo (housekeeping) shows a dash. */
function PhotoCell({ job }: { job: Job }) {
  const name = photoName(job);
  if (job.photo === null || name === null) return <>—</>;
  return (
    <Link to={photoPath(job.photo)} className="failures__photo-link" title={name}>
      {job.thumbnail_version ? (
        <img
          className="failures__thumb"
          src={gridUrl(job.photo, job.thumbnail_version)}
          alt=""
          loading="lazy"
          data-testid="failure-thumb"
        />
      ) : (
        <span className="failures__thumb failures__type" aria-hidden="true" data-testid="failure-type">
          {fileTypeLabel(job)}
        </span>
      )}
      <span className="failures__name">{name}</span>
    </Link>
  );
}
