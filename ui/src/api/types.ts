// Types are derived from the paths in the generated schema rather than from component names,
// so they survive a renamed component in the OpenAPI file.
import type { paths } from "./schema";

type JsonOf<Response> = Response extends { content: { "application/json": infer Body } }
  ? Body
  : never;

export type Session = JsonOf<paths["/api/auth/session"]["get"]["responses"][200]>;
export type User = JsonOf<paths["/api/auth/login"]["post"]["responses"][200]>;
export type Health = JsonOf<paths["/api/health"]["get"]["responses"][200]>;
export type HealthComponent = Health["components"]["database"];
export type SetupRequest = NonNullable<
  paths["/api/setup"]["post"]["requestBody"]
>["content"]["application/json"];
export type LoginRequest = NonNullable<
  paths["/api/auth/login"]["post"]["requestBody"]
>["content"]["application/json"];

export type JobSummary = JsonOf<paths["/api/jobs/summary"]["get"]["responses"][200]>;
export type StageSummary = JobSummary["stages"][number];
export type QueueSummary = JobSummary["queues"][number];
export type JobPage = JsonOf<paths["/api/jobs"]["get"]["responses"][200]>;
export type Job = JobPage["results"][number];
export type QueueStateRequest = NonNullable<
  paths["/api/pipeline/queues"]["post"]["requestBody"]
>["content"]["application/json"];
export type QueueName = QueueStateRequest["queue"];

// The web app (timeline, filters, search, map, viewer, settings).
type QueryOf<Op> = Op extends { parameters: { query?: infer Query } } ? NonNullable<Query> : never;
type BodyOf<Op> = Op extends { requestBody?: { content: { "application/json": infer Body } } } ? Body : never;

/** The filter parameters every list endpoint (timeline, months, facets, map) accepts. */
export type FilterQuery = QueryOf<paths["/api/timeline/months"]["get"]>;
export type TimelinePage = JsonOf<paths["/api/timeline"]["get"]["responses"][200]>;
export type TimelineItem = TimelinePage["results"][number] & {
  /** Not in the API (yet); downloads use it when present instead of fetching the detail. */
  preferred_file?: number | null;
};
export type MonthCount = JsonOf<paths["/api/timeline/months"]["get"]["responses"][200]>[number];
export type Facets = JsonOf<paths["/api/timeline/facets"]["get"]["responses"][200]>;
export type FacetTag = Facets["tags"][string][number];
export type FacetOption = Facets["cameras"][number];
export type Suggestion = JsonOf<paths["/api/search/suggest"]["get"]["responses"][200]>[number];
export type MapPoints = JsonOf<paths["/api/map"]["get"]["responses"][200]>;
export type MapPoint = MapPoints["points"][number];
export type PhotoDetail = JsonOf<paths["/api/photos/{photo_id}"]["get"]["responses"][200]>;
export type DetailFile = PhotoDetail["files"][number];
export type DetailTag = PhotoDetail["tags"][number];
export type PhotoUpdate = BodyOf<paths["/api/photos/{photo_id}"]["patch"]>;
export type BulkRequest = BodyOf<paths["/api/photos/bulk"]["post"]>;
export type ClassifierSwitches = JsonOf<paths["/api/libraries/{library_id}/classifiers"]["get"]["responses"][200]>;
export type ClassifierState = ClassifierSwitches["classifiers"][number];
export type Library = JsonOf<paths["/api/libraries"]["get"]["responses"][200]>[number];
export type LibraryCreateRequest = NonNullable<
  paths["/api/libraries"]["post"]["requestBody"]
>["content"]["application/json"];
export type ServerFolders = JsonOf<paths["/api/server/folders"]["get"]["responses"][200]>;
export type ServerFolder = ServerFolders["folders"][number];
export type InstalledClassifier = JsonOf<paths["/api/classifiers"]["get"]["responses"][200]>[number];
