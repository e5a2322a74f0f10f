import { Link } from "react-router";
import { ROUTES } from "./routes";
import { plural } from "./format";
import { indicatorInterval, useJobsSummary } from "./jobsSummary";

/**
 * "Processing · N jobs" in the header while the pipeline has work queued, running or retrying.
 * Says nothing when idle or when the summary cannot be read (the jobs page reports that).
 */
export function JobsIndicator() {
  const summary = useJobsSummary(indicatorInterval);
  const active = summary.data?.active ?? 0;
  if (active <= 0) return null;
  return (
    <Link className="jobs-indicator" to={ROUTES.jobs} data-testid="jobs-indicator">
      <span className="spinner" aria-hidden="true" />
      <span>
        Processing<span aria-hidden="true"> ·</span> {plural(active, "job")}
      </span>
    </Link>
  );
}
