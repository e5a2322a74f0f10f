import { errorMessage } from "../api/errors";
import type { HealthComponent, HealthComponents } from "../api/types";
import { formatDuration } from "../shared/format";
import { useHealth } from "./health";

const COMPONENTS: { key: keyof HealthComponents; label: string }[] = [
  { key: "database", label: "Database" },
  { key: "broker", label: "Broker" },
  { key: "workers", label: "Workers" },
];

export function SystemStatus() {
  const health = useHealth();
  return (
    <section className="card status" aria-labelledby="system-status-title" aria-busy={health.isFetching}>
      <div className="card__header">
        <h2 id="system-status-title">System status</h2>
        {health.data && <StatusBadge ok={health.data.status === "ok"} okText="All good" failText="Degraded" />}
      </div>
      {health.isPending && <p className="muted">Checking…</p>}
      {health.isError && !health.data && (
        <p className="field__error" role="alert">
          Could not load the system status. {errorMessage(health.error)}
        </p>
      )}
      {health.data && (
        <>
          {health.data.components && (
            <ComponentList components={health.data.components} details={health.data.version !== undefined} />
          )}
          {health.data.version !== undefined ? (
            <p className="muted status__version">Photonix {health.data.version}</p>
          ) : (
            <p className="muted status__version">Details are shown to administrators.</p>
          )}
        </>
      )}
      <button
        type="button"
        className="button"
        onClick={() => void health.refetch()}
        disabled={health.isFetching}
      >
        {health.isFetching ? "Checking…" : "Check again"}
      </button>
    </section>
  );
}

/** Each part's state; what it is and how fast it answered only when the report has details. */
function ComponentList({ components, details }: { components: HealthComponents; details: boolean }) {
  return (
    <ul className="status__list">
      {COMPONENTS.map(({ key, label }) => (
        <ComponentRow key={key} label={label} component={components[key]} details={details} />
      ))}
    </ul>
  );
}

function ComponentRow({
  label,
  component,
  details,
}: {
  label: string;
  component: HealthComponent;
  details: boolean;
}) {
  return (
    <li className="status__row" data-testid={`status-${label.toLowerCase()}`}>
      <span className="status__name">{label}</span>
      <StatusBadge ok={component.ok} okText="OK" failText="Failing" />
      {details && (
        <span className="status__detail muted">
          {component.detail}
          {component.latency_ms !== null && ` · ${formatDuration(component.latency_ms)}`}
        </span>
      )}
    </li>
  );
}

function StatusBadge({ ok, okText, failText }: { ok: boolean; okText: string; failText: string }) {
  return <span className={ok ? "badge badge--ok" : "badge badge--fail"}>{ok ? okText : failText}</span>;
}
