import { useMemo, useState } from "react";
import { errorMessage } from "../api/errors";
import type { JobSummary } from "../api/types";
import { formatCount, plural } from "../shared/format";
import { useJobsSummary } from "../shared/jobsSummary";
import { QueryState } from "../shared/QueryState";
import { useShellUser } from "../shared/shell";
import { ConfirmDialog } from "./ConfirmDialog";
import { FailuresTable } from "./FailuresTable";
import { failuresAccess, processMissingResult } from "./logic";
import { type Notice, NoticeContext, type Notifier } from "./notice";
import { type JobActions, LIVE_INTERVAL_MS, useFailures, useJobActions } from "./queries";
import { QueueToggle } from "./QueueToggle";
import { StageCard } from "./StageCard";

export function JobsPage() {
  return <JobsDashboard isAdmin={useShellUser().is_admin} />;
}

function JobsDashboard({ isAdmin }: { isAdmin: boolean }) {
  const summary = useJobsSummary(LIVE_INTERVAL_MS);
  const failures = useFailures(isAdmin);
  const access = failuresAccess(isAdmin, failures.error);
  const canManage = access === "admin";
  const actions = useJobActions();
  const [notice, setNotice] = useState<Notice | null>(null);
  const notifier = useMemo<Notifier>(
    () => ({ ok: (text) => setNotice({ kind: "ok", text }), error: (text) => setNotice({ kind: "error", text }) }),
    [],
  );
  const [confirmReprocess, setConfirmReprocess] = useState(false);

  const reprocessAll = () => {
    setConfirmReprocess(false);
    actions.reprocessAll.mutate(undefined, {
      onSuccess: ({ dispatched }) => notifier.ok(`Sent ${plural(dispatched, "photo")} to be processed again.`),
      onError: (error) => notifier.error(`Could not start reprocessing. ${errorMessage(error)}`),
    });
  };

  return (
    <NoticeContext value={notifier}>
      <div className="page-header">
        <div>
          <h1>Jobs</h1>
          <p className="muted page-header__intro">
            What the processing pipeline is doing. Updates every few seconds while this page is open.
          </p>
        </div>
        {canManage && (
          <div className="page-header__actions">
            <button
              type="button"
              className="button"
              disabled={actions.processMissing.isPending}
              onClick={() =>
                actions.processMissing.mutate(undefined, {
                  onSuccess: ({ dispatched }) => notifier.ok(processMissingResult(dispatched)),
                  onError: (error) => notifier.error(`Could not process missing photos. ${errorMessage(error)}`),
                })
              }
            >
              Process missing
            </button>
            <button
              type="button"
              className="button"
              disabled={actions.reprocessAll.isPending}
              onClick={() => setConfirmReprocess(true)}
            >
              Reprocess all…
            </button>
            {summary.data?.flower_url && (
              <a className="button" href={summary.data.flower_url} target="_blank" rel="noreferrer">
                Open Flower<span className="visually-hidden"> (opens in a new tab)</span>
              </a>
            )}
          </div>
        )}
      </div>

      {notice && (
        <div
          className={notice.kind === "error" ? "alert notice" : "notice notice--ok"}
          role={notice.kind === "error" ? "alert" : "status"}
        >
          <span>{notice.text}</span>
          <button type="button" className="link-button" onClick={() => setNotice(null)}>
            Close
          </button>
        </div>
      )}

      {summary.isPending && <p className="muted">Loading the pipeline…</p>}
      {summary.isError && (
        <p className="alert" role="alert">
          {summary.data ? "Could not refresh the jobs summary" : "Could not load the jobs summary"}.{" "}
          {errorMessage(summary.error)}
        </p>
      )}
      {summary.data && <Overview summary={summary.data} canManage={canManage} actions={actions} />}

      <section className="section" aria-labelledby="failures-title">
        <div className="section__header">
          <h2 id="failures-title">Failures</h2>
          {canManage && failures.data && (
            <span className={failures.data.count ? "badge badge--fail" : "badge badge--ok"}>
              {formatCount(failures.data.count)}
            </span>
          )}
        </div>
        {!canManage ? (
          <p className="muted" data-testid="failures-admin-only">
            Only administrators can see failed jobs, retry them or pause the pipeline.
          </p>
        ) : (
          <QueryState query={failures} loading="Loading the failures…" error="Could not load the failures.">
            {(page) => <FailuresTable page={page} actions={actions} />}
          </QueryState>
        )}
      </section>

      {confirmReprocess && (
        <ConfirmDialog
          title="Reprocess every photo?"
          confirmLabel="Reprocess all"
          onConfirm={reprocessAll}
          onCancel={() => setConfirmReprocess(false)}
        >
          <p>
            Every stage — RAW development, thumbnails, classifiers — runs again for every photo in every
            library. This redoes all the work done so far and can take a long time.
          </p>
        </ConfirmDialog>
      )}
    </NoticeContext>
  );
}

const PHOTO_STATES: { key: keyof JobSummary["photos"]; label: string }[] = [
  { key: "pending", label: "Pending" },
  { key: "processing", label: "Processing" },
  { key: "processed", label: "Processed" },
  { key: "failed", label: "Failed" },
];

function Overview({ summary, canManage, actions }: { summary: JobSummary; canManage: boolean; actions: JobActions }) {
  return (
    <>
      <section className="section" aria-labelledby="overview-title">
        <h2 id="overview-title" className="visually-hidden">
          Overview
        </h2>
        <dl className="stats">
          <div className="stat" data-testid="stat-active">
            <dt>Jobs in progress</dt>
            <dd>{formatCount(summary.active)}</dd>
          </div>
          <div className="stat" data-testid="stat-in-flight">
            <dt>In flight</dt>
            <dd>{formatCount(summary.in_flight)}</dd>
          </div>
          <div className="stat" data-testid="stat-people-pending">
            <dt>Libraries grouping people</dt>
            <dd>{formatCount(summary.people_pending)}</dd>
          </div>
          {PHOTO_STATES.map(({ key, label }) => (
            <div key={key} className={key === "failed" && summary.photos.failed ? "stat stat--failed" : "stat"} data-testid={`photos-${key}`}>
              <dt>Photos {label.toLowerCase()}</dt>
              <dd>{formatCount(summary.photos[key])}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section className="section" aria-labelledby="stages-title">
        <h2 id="stages-title">Stages</h2>
        {summary.stages.length === 0 ? (
          <p className="muted">No jobs have run yet.</p>
        ) : (
          <div className="stages">
            {summary.stages.map((stage) => (
              <StageCard key={stage.stage} stage={stage} canManage={canManage} actions={actions} />
            ))}
          </div>
        )}
      </section>

      <section className="section" aria-labelledby="queues-title">
        <h2 id="queues-title">Queues</h2>
        <div className="card table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Queue</th>
                <th scope="col" className="table__num">
                  Waiting
                </th>
                <th scope="col">State</th>
                {canManage && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {summary.queues.map((queue) => (
                <tr key={queue.name} data-testid={`queue-${queue.name}`}>
                  <th scope="row">
                    <code>{queue.name}</code>
                  </th>
                  <td className="table__num">{formatCount(queue.waiting)}</td>
                  <td>
                    {queue.paused ? (
                      <span className="badge badge--warn">Paused</span>
                    ) : (
                      <span className="badge badge--ok">Running</span>
                    )}
                  </td>
                  {canManage && (
                    <td className="table__actions">
                      <QueueToggle queue={queue.name} paused={queue.paused} />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted table__more">
            {plural(summary.in_flight, "message")} being worked on right now (in flight).
          </p>
        </div>
      </section>
    </>
  );
}
