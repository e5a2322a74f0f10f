/** Latency as people read it: one decimal under 10 ms, whole milliseconds above. */
export function formatLatency(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}
