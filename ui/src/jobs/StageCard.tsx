import { errorMessage } from "../api/errors";
import type { StageSummary } from "../api/types";
import { formatCount } from "../shared/format";
import { canProcessMissing, processMissingResult, stageLabel } from "./logic";
import { useNotice } from "./notice";
import type { JobActions } from "./queries";
import { QueueToggle } from "./QueueToggle";

const COUNTS: { key: keyof Pick<StageSummary, "queued" | "running" | "retrying" | "failed" | "succeeded">; label: string }[] = [
  { key: "queued", label: "Queued" },
  { key: "running", label: "Running" },
  { key: "retrying", label: "Retrying" },
  { key: "failed", label: "Failed" },
  { key: "succeeded", label: "Done" },
];

export function StageCard({
  stage,
  canManage,
  actions,
}: {
  stage: StageSummary;
  canManage: boolean;
  actions: JobActions;
}) {
  const titleId = `stage-${stage.stage.replace(/[^a-z0-9_-]/gi, "-")}`;
  return (
    <section className="card stage" aria-labelledby={titleId} data-testid={titleId}>
      <div className="stage__header">
        <h3 id={titleId}>{stageLabel(stage.stage)}</h3>
        {stage.paused && <span className="badge badge--warn">Paused</span>}
      </div>
      <p className="muted stage__queue">
        Queue <code>{stage.queue}</code>
      </p>
      <dl className="stage__counts">
        {COUNTS.map(({ key, label }) => (
          <div
            key={key}
            className={key === "failed" && stage.failed > 0 ? "stage__count stage__count--failed" : "stage__count"}
            data-testid={`count-${key}`}
          >
            <dt>{label}</dt>
            <dd>{formatCount(stage[key])}</dd>
          </div>
        ))}
      </dl>
      {canManage && (
        <div className="stage__actions">
          <QueueToggle queue={stage.queue} paused={stage.paused} />
          {canProcessMissing(stage.stage) && <ProcessStageMissing stage={stage.stage} actions={actions} />}
        </div>
      )}
    </section>
  );
}

/** "Process missing" for one stage: only the photos that lack this stage get it, nothing else. */
function ProcessStageMissing({ stage, actions }: { stage: string; actions: JobActions }) {
  const notify = useNotice();
  const { processMissing } = actions;
  const label = stageLabel(stage);
  return (
    <button
      type="button"
      className="button button--small"
      aria-label={`Process missing: ${label}`}
      disabled={processMissing.isPending && processMissing.variables === stage}
      onClick={() =>
        processMissing.mutate(stage, {
          onSuccess: ({ dispatched }) => notify.ok(processMissingResult(dispatched, stage)),
          onError: (error) => notify.error(`Could not process what is missing for ${label}. ${errorMessage(error)}`),
        })
      }
    >
      Process missing
    </button>
  );
}
