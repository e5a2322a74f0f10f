import { describe, expect, it } from "vitest";
import { ApiError } from "../api/errors";
import { formatCount, plural as pluralize } from "../shared/format";
import { indicatorInterval } from "../shared/jobsSummary";
import { FAILED_JOB, IDLE_SUMMARY, JOB_SUMMARY } from "../test/fakeApi";
import {
  canProcessMissing,
  failuresAccess,
  failuresPage,
  fileTypeLabel,
  formatWhen,
  photoName,
  processMissingResult,
  queueToggle,
  reasonOf,
  stageLabel,
  withoutJob,
  withQueuePaused,
} from "./logic";

describe("counts", () => {
  it("groups thousands and pluralises", () => {
    expect(formatCount(0)).toBe("0");
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(pluralize(1, "job")).toBe("1 job");
    expect(pluralize(0, "job")).toBe("0 jobs");
    expect(pluralize(1204, "job")).toBe("1,204 jobs");
    expect(pluralize(2, "failure")).toBe("2 failures");
  });

  it("polls the header often while busy, rarely while idle", () => {
    expect(indicatorInterval(JOB_SUMMARY)).toBe(5_000);
    expect(indicatorInterval(IDLE_SUMMARY)).toBe(30_000);
    expect(indicatorInterval(undefined)).toBe(30_000);
  });
});

describe("stageLabel", () => {
  it("names known stages and classifier sub-stages", () => {
    expect(stageLabel("develop_raw")).toBe("Develop RAW");
    expect(stageLabel("thumbnails")).toBe("Thumbnails");
    expect(stageLabel("classify:objects")).toBe("Classify · objects");
    expect(stageLabel("face_clusters")).toBe("Face clusters");
    expect(stageLabel("faces_recluster")).toBe("Grouping people");
  });
});

describe("failuresAccess", () => {
  it("lets administrators manage jobs", () => {
    expect(failuresAccess(true, null)).toBe("admin");
    expect(failuresAccess(true, new ApiError(500, null))).toBe("admin");
    expect(failuresAccess(true, new TypeError("Failed to fetch"))).toBe("admin");
  });

  it("shows the summary only to everyone else, and after a 403", () => {
    expect(failuresAccess(false, null)).toBe("forbidden");
    expect(failuresAccess(true, new ApiError(403, { detail: "no" }))).toBe("forbidden");
  });
});

describe("queue toggle", () => {
  it("offers the opposite of the current state", () => {
    expect(queueToggle(false)).toEqual({ label: "Pause", paused: true });
    expect(queueToggle(true)).toEqual({ label: "Resume", paused: false });
  });

  it("pauses the queue and every stage running on it", () => {
    const paused = withQueuePaused(JOB_SUMMARY, "media", true);
    expect(paused.queues.find((q) => q.name === "media")?.paused).toBe(true);
    expect(paused.queues.filter((q) => q.paused)).toHaveLength(1);
    expect(paused.stages.find((s) => s.stage === "thumbnails")?.paused).toBe(true);
    expect(paused.stages.find((s) => s.stage === "classify:objects")?.paused).toBe(false);
    expect(JOB_SUMMARY.queues.some((q) => q.paused)).toBe(false);
  });
});

describe("failures", () => {
  it("reads a page: the jobs shown and the total still to look at", () => {
    expect(failuresPage({ count: 120, next: "x", previous: null, results: [FAILED_JOB] })).toEqual({
      jobs: [FAILED_JOB],
      count: 120,
    });
  });

  it("drops a dismissed job from the page and the count", () => {
    expect(withoutJob({ jobs: [FAILED_JOB], count: 120 }, FAILED_JOB.id)).toEqual({ jobs: [], count: 119 });
    expect(withoutJob({ jobs: [FAILED_JOB], count: 120 }, 999)).toEqual({ jobs: [FAILED_JOB], count: 120 });
  });

  it("gives the first line of the error as the reason", () => {
    expect(reasonOf({ error: "OSError: disk full\nmore", traceback: "" })).toBe("OSError: disk full");
    expect(reasonOf({ error: "", traceback: "Traceback\n  x\nValueError: bad" })).toBe("ValueError: bad");
    expect(reasonOf({ error: "", traceback: "" })).toBe("No reason recorded");
  });

  it("says when, relative to now", () => {
    const now = new Date("2024-05-01T12:00:00Z");
    expect(formatWhen("2024-05-01T11:59:50Z", now)).toBe("just now");
    expect(formatWhen("2024-05-01T11:55:00Z", now)).toBe("5 minutes ago");
    expect(formatWhen("2024-05-01T09:00:00Z", now)).toBe("3 hours ago");
    expect(formatWhen("2024-04-30T12:00:00Z", now)).toBe("yesterday");
    expect(formatWhen("2024-01-01T12:00:00Z", now)).toMatch(/2024/);
    expect(formatWhen(null, now)).toBe("—");
  });
});

describe("process missing", () => {
  it("is offered for the stages of a photo's canvas only", () => {
    for (const stage of ["develop_raw", "thumbnails", "classify", "classify:objects"]) {
      expect(canProcessMissing(stage)).toBe(true);
    }
    for (const stage of ["import", "scan", "finish", "faces_recluster", "other", "classifyx"]) {
      expect(canProcessMissing(stage)).toBe(false);
    }
  });

  it("says what was sent, for one stage or for all", () => {
    expect(processMissingResult(1, "thumbnails")).toBe("Sent 1 photo for processing (Thumbnails).");
    expect(processMissingResult(1204)).toBe("Sent 1,204 photos for processing.");
    expect(processMissingResult(0, "classify:objects")).toBe("Nothing is missing for Classify · objects.");
    expect(processMissingResult(0)).toBe("Nothing is missing: every photo is processed.");
  });
});

describe("a failure's photo", () => {
  it("is named by its file, else by its number; a job of no photo has none", () => {
    expect(photoName({ photo: 42, file_name: "IMG_0042.jpg" })).toBe("IMG_0042.jpg");
    expect(photoName({ photo: 42, file_name: null })).toBe("Photo 42");
    expect(photoName({ photo: null, file_name: null })).toBeNull();
  });

  it("without a thumbnail shows its file's extension, else its kind", () => {
    expect(fileTypeLabel({ file_name: "DSC_0001.nef", file_kind: "raw" })).toBe("NEF");
    expect(fileTypeLabel({ file_name: "notes.longext", file_kind: "photo" })).toBe("PHOTO");
    expect(fileTypeLabel({ file_name: ".hidden", file_kind: "video" })).toBe("VIDEO");
    expect(fileTypeLabel({ file_name: null, file_kind: null })).toBe("?");
  });
});
