import { ApiError } from "../api/errors";
import type { Job, JobPage, JobSummary, QueueName } from "../api/types";
import { formatDateTime, formatRelative, plural } from "../shared/format";

const STAGE_NAMES: Record<string, string> = {
  scan: "Scan",
  import: "Import",
  develop_raw: "Develop RAW",
  thumbnails: "Thumbnails",
  classify: "Classify",
  faces: "Faces",
  faces_recluster: "Grouping people",
  finish: "Finish",
  other: "Other",
};

/** What a failure calls its photo: the file's name, else its number ("Photo 42"); null without one. */
export function photoName(job: Pick<Job, "photo" | "file_name">): string | null {
  if (job.photo === null) return null;
  return job.file_name ?? `Photo ${job.photo}`;
}

/**
 * The label of the type icon shown for a photo without a thumbnail: the file's extension
 * ("NEF", "JPG"), else its kind ("RAW", "PHOTO", "VIDEO"), else "?".
 */
export function fileTypeLabel(job: Pick<Job, "file_name" | "file_kind">): string {
  const dot = job.file_name?.lastIndexOf(".") ?? -1;
  const extension = job.file_name && dot > 0 ? job.file_name.slice(dot + 1) : "";
  if (extension && extension.length <= 4) return extension.toUpperCase();
  return job.file_kind ? job.file_kind.toUpperCase() : "?";
}

/** "develop_raw" → "Develop RAW"; "classify:objects" → "Classify · objects". */
export function stageLabel(stage: string): string {
  const [base = stage, detail] = stage.split(":", 2);
  const name = STAGE_NAMES[base] ?? capitalize(base.replaceAll("_", " "));
  return detail ? `${name} · ${detail.replaceAll("_", " ")}` : name;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Whether "process missing" can be asked for this stage alone: the stages of a photo's canvas
 * (RAW development, thumbnails, each classifier). Import, finishing and housekeeping cannot.
 */
export function canProcessMissing(stage: string): boolean {
  return stage === "develop_raw" || stage === "thumbnails" || stage === "classify" || stage.startsWith("classify:");
}

/** What the notice says once "process missing" was sent (for one stage, or for all). */
export function processMissingResult(dispatched: number, stage?: string): string {
  const what = stage ? ` (${stageLabel(stage)})` : "";
  if (dispatched) return `Sent ${plural(dispatched, "photo")} for processing${what}.`;
  return stage ? `Nothing is missing for ${stageLabel(stage)}.` : "Nothing is missing: every photo is processed.";
}

/** The queue names the summary reports, as the pause request types them (the server validates). */
export function asQueueName(name: string): QueueName {
  return name as QueueName;
}

/** What the pause/resume button of a queue says and does. */
export function queueToggle(paused: boolean): { label: "Pause" | "Resume"; paused: boolean } {
  return paused ? { label: "Resume", paused: false } : { label: "Pause", paused: true };
}

/** The summary with one queue (and every stage running on it) paused or resumed. */
export function withQueuePaused(summary: JobSummary, queue: string, paused: boolean): JobSummary {
  return {
    ...summary,
    queues: summary.queues.map((q) => (q.name === queue ? { ...q, paused } : q)),
    stages: summary.stages.map((s) => (s.queue === queue ? { ...s, paused } : s)),
  };
}

export type FailuresAccess = "admin" | "forbidden";

/**
 * Only administrators may list, retry or dismiss jobs. A non-admin session never asks; a 403
 * (rights revoked since the session loaded) shows the same explanation rather than an error.
 */
export function failuresAccess(isAdmin: boolean, error: unknown): FailuresAccess {
  if (!isAdmin) return "forbidden";
  if (error instanceof ApiError && error.status === 403) return "forbidden";
  return "admin";
}

export interface FailuresPage {
  jobs: Job[];
  /** All failures still shown, which may be more than one page. */
  count: number;
}

/** One page of `GET /api/jobs` (`{count, next, previous, results}`). */
export function failuresPage(body: JobPage): FailuresPage {
  return { jobs: body.results, count: body.count };
}

/** The page without one job (after it was dismissed or retried). */
export function withoutJob(page: FailuresPage, id: number): FailuresPage {
  const jobs = page.jobs.filter((job) => job.id !== id);
  return { jobs, count: page.count - (page.jobs.length - jobs.length) };
}

/** The first line of an error: the reason; the rest belongs to the traceback. */
export function reasonOf(job: Pick<Job, "error" | "traceback">): string {
  const line = job.error.trim().split("\n", 1)[0]?.trim();
  if (line) return line;
  const lastTracebackLine = job.traceback.trim().split("\n").at(-1)?.trim();
  return lastTracebackLine || "No reason recorded";
}

/** When a job failed (or, lacking that, when it was queued). */
export function failedAt(job: Pick<Job, "finished_at" | "started_at" | "queued_at">): string | null {
  return job.finished_at ?? job.started_at ?? job.queued_at;
}

/** "just now", "5 minutes ago", "yesterday"; a date beyond a week. */
export function formatWhen(iso: string | null, now: Date = new Date()): string {
  return formatRelative(iso, now);
}

/** The exact time, for a tooltip. */
export function formatExact(iso: string | null): string | undefined {
  return formatDateTime(iso) ?? undefined;
}
