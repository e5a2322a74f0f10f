import type { StageSummary } from "../api/types";
import { formatCount } from "../shared/jobsSummary";
import { QueueToggle } from "./QueueToggle";
import { stageLabel } from "./logic";

const COUNTS: { key: keyof Pick<StageSummary, "queued" | "running" | "retrying" | "failed" | "succeeded">; label: string }[] = [
  { key: "queued", label: "Queued" },
  { key: "running", label: "Running" },
  { key: "retrying", label: "Retrying" },
  { key: "failed", label: "Failed" },
  { key: "succeeded", label: "Done" },
];

export function StageCard({ stage, canManage }: { stage: StageSummary; canManage: boolean }) {
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
      {canManage && <QueueToggle queue={stage.queue} paused={stage.paused} />}
    </section>
  );
}
