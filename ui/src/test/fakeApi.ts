import { vi } from "vitest";
import type { Album, Health, HealthComponents, Job, JobSummary, Library, Session, User } from "../api/types";

export type Handler = (request: Request) => Response | Promise<Response>;

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

/**
 * Replaces the global fetch with a router over "METHOD /path" keys. Unknown routes answer 404,
 * so a test notices a call it did not expect. Returns the requests seen, in order.
 */
export function fakeApi(routes: Record<string, Handler>): Request[] {
  const seen: Request[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: Request) => {
      const request = input.clone();
      seen.push(request);
      const handler = routes[`${request.method} ${new URL(request.url).pathname}`];
      return handler ? handler(request) : json({ detail: "Not found." }, 404);
    }),
  );
  return seen;
}

export const ADMIN: User = { id: 1, username: "admin", is_admin: true };
const NO_MAP = { map_tile_url: null, map_attribution: null };
export const SETUP_SESSION: Session = { authenticated: false, setup_required: true, user: null, ...NO_MAP };
export const SIGNED_OUT_SESSION: Session = { authenticated: false, setup_required: false, user: null, ...NO_MAP };
export const SIGNED_IN_SESSION: Session = { authenticated: true, setup_required: false, user: ADMIN, ...NO_MAP };
export const MEMBER: User = { id: 2, username: "member", is_admin: false };
export const MEMBER_SESSION: Session = { authenticated: true, setup_required: false, user: MEMBER, ...NO_MAP };

export const HEALTHY_COMPONENTS: HealthComponents = {
  database: { ok: true, detail: "sqlite", latency_ms: 0.4 },
  broker: { ok: true, detail: "redis", latency_ms: 1.2 },
  workers: { ok: true, detail: "1 worker", latency_ms: 12.6 },
};

/** The report an administrator gets. */
export const HEALTHY: Health = {
  status: "ok",
  version: "0.1.0",
  components: HEALTHY_COMPONENTS,
  versions: { python: "3.11" },
};

const stage = (name: string, queue: string, counts: Partial<JobSummary["stages"][number]> = {}) => ({
  stage: name,
  queue,
  queued: 0,
  running: 0,
  retrying: 0,
  failed: 0,
  succeeded: 0,
  paused: false,
  ...counts,
});

/** A pipeline with work in progress and one failure. */
export const JOB_SUMMARY: JobSummary = {
  stages: [
    stage("classify:objects", "classify", { queued: 2, succeeded: 40 }),
    stage("thumbnails", "media", { running: 1, failed: 1, succeeded: 1234 }),
  ],
  queues: ["default", "import", "media", "classify", "faces"].map((name) => ({
    name,
    waiting: name === "classify" ? 2 : 0,
    paused: false,
  })),
  in_flight: 1,
  photos: { pending: 3, processing: 1, processed: 1234, failed: 1 },
  active: 3,
  people_pending: 1,
  broker_ok: true,
  flower_url: "http://127.0.0.1:5555/",
};

export const IDLE_SUMMARY: JobSummary = {
  ...JOB_SUMMARY,
  stages: [],
  active: 0,
  in_flight: 0,
  people_pending: 0,
};

export const FAILED_JOB: Job = {
  id: 7,
  task_id: "c0ffee",
  name: "photonix.pipeline.make_thumbnails",
  stage: "thumbnails",
  photo: 42,
  library: 1,
  state: "failed",
  attempts: 3,
  queued_at: "2024-05-01T10:00:00Z",
  started_at: "2024-05-01T10:00:01Z",
  finished_at: "2024-05-01T10:00:02Z",
  error: "UnidentifiedImageError: cannot identify image file",
  traceback: 'Traceback (most recent call last):\n  File "thumbnails.py", line 3\nUnidentifiedImageError: cannot identify image file',
  acknowledged: false,
  file_name: "IMG_0042.jpg",
  file_kind: "photo",
  thumbnail_version: 2,
};

/** `GET /api/jobs` answers a DRF page. */
export function jobsPage(jobs: Job[]) {
  return { count: jobs.length, next: null, previous: null, results: jobs };
}

// People (faces grouped per library): two named, two unnamed groups, in library 1.
type PersonFixture = {
  id: number;
  library: number;
  name: string;
  confirmed: boolean;
  face_count: number;
  photo_count: number;
  cover_face: number | null;
  cover_url: string | null;
  created_at: string;
  updated_at: string;
};
const person = (id: number, name: string, faces: number): PersonFixture => ({
  id,
  library: 1,
  name,
  confirmed: name !== "",
  face_count: faces,
  photo_count: faces,
  cover_face: id * 10,
  cover_url: `/api/faces/${id * 10}/crop`,
  created_at: "2024-05-01T10:00:00Z",
  updated_at: "2024-05-01T10:00:00Z",
});
/** In the order the API answers: named first, then unnamed groups, largest first. */
export const PEOPLE: PersonFixture[] = [person(1, "Ada", 3), person(2, "Marie Curie", 2), person(3, "", 5), person(4, "", 2)];

export function personFace(id: number, personId: number, photo: number, verdict: "auto" | "confirmed" = "auto") {
  const owner = PEOPLE.find((item) => item.id === personId);
  return {
    id,
    photo,
    library: 1,
    person: personId,
    person_name: owner?.name || null,
    verdict,
    box: { x: 0.1, y: 0.1, width: 0.2, height: 0.2 },
    confidence: 0.99,
    size: 120,
    clusterable: true,
    crop_url: `/api/faces/${id}/crop`,
    suggestions: null,
  };
}

// --- Users and API tokens (src/users) ---
export const MANAGED_ADMIN = {
  id: 1,
  username: "admin",
  email: "admin@example.org",
  is_admin: true,
  is_active: true,
  date_joined: "2024-01-01T00:00:00Z",
  last_login: "2024-05-01T09:30:00Z",
};
export const MANAGED_MEMBER = {
  id: 2,
  username: "member",
  email: "",
  is_admin: false,
  is_active: true,
  date_joined: "2024-02-01T00:00:00Z",
  last_login: null,
};
export const API_TOKEN = {
  id: 5,
  name: "backup script",
  prefix: "phx_ab12",
  created_at: "2024-04-01T08:00:00Z",
  last_used_at: null,
};

/** An album as the API lists it, owned by the person; tests override what they are about. */
export function albumFixture(id: number, name: string, overrides: Partial<Album> = {}): Album {
  return {
    id,
    library: 1,
    name,
    description: "",
    sort: "taken",
    photo_count: 3,
    date_from: null,
    date_to: null,
    cover: null,
    cover_id: null,
    my_role: "owner",
    created_at: "2024-01-01T00:00:00Z",
    updated_at: "2024-01-01T00:00:00Z",
    ...overrides,
  };
}

/** A photo as the timeline and album photo lists give it, taken on day `day` of January 2024. */
export function photoItem(id: number, day: number) {
  return {
    id,
    taken_at: `2024-01-0${day}T10:00:00`,
    width: 100,
    height: 80,
    rating: null,
    hidden: false,
    archived: false,
    favourite: false,
    trashed_at: null as string | null,
    placeholder: "",
    thumbnail_version: 1,
    failed: false,
    failure: null as string | null,
    undated: false,
  };
}

/** The one library the album dialogs offer ("Family"). */
export const FAMILY_LIBRARIES: Library[] = [{ id: 1, name: "Family", created_at: "", folders: [], photo_count: 9, error_count: 0, role: "owner", upload_folder: "", delete_originals: false, write_originals: false }];
