// Every type the UI uses from the API, in one place. They are derived from the paths in the
// generated schema rather than from component names, so they survive a renamed component in the
// OpenAPI file. Features import their types from here, never from `./schema` directly.
import type { paths } from "./schema";

/** The JSON body of one response of an operation. */
type JsonOf<Response> = Response extends { content: { "application/json": infer Body } } ? Body : never;
/** The JSON request body of an operation. */
type BodyOf<Op> = Op extends { requestBody?: { content: { "application/json": infer Body } } } ? Body : never;
/** The query parameters of an operation. */
type QueryOf<Op> = Op extends { parameters: { query?: infer Query } } ? NonNullable<Query> : never;

// ---------------------------------------------------------------------------------------------
// Session, setup, health

export type Session = JsonOf<paths["/api/auth/session"]["get"]["responses"][200]>;
export type User = JsonOf<paths["/api/auth/login"]["post"]["responses"][200]>;
export type Health = JsonOf<paths["/api/health"]["get"]["responses"][200]>;
// Components for signed-in callers only; their details and the versions for administrators only.
export type HealthComponents = NonNullable<Health["components"]>;
/** The map's tile source, as administrators see and set it in Settings. */
export type MapSettings = JsonOf<paths["/api/settings/map"]["get"]["responses"][200]>;
export type MapSettingsUpdate = BodyOf<paths["/api/settings/map"]["put"]>;
export type HealthComponent = HealthComponents["database"];
export type SetupRequest = BodyOf<paths["/api/setup"]["post"]>;
export type LoginRequest = BodyOf<paths["/api/auth/login"]["post"]>;

// ---------------------------------------------------------------------------------------------
// Jobs

export type JobSummary = JsonOf<paths["/api/jobs/summary"]["get"]["responses"][200]>;
export type StageSummary = JobSummary["stages"][number];
export type JobPage = JsonOf<paths["/api/jobs"]["get"]["responses"][200]>;
export type Job = JobPage["results"][number];
export type QueueName = BodyOf<paths["/api/pipeline/queues"]["post"]>["queue"];

// ---------------------------------------------------------------------------------------------
// Timeline, filters, search, map, viewer

/** The filter parameters every list endpoint (timeline, months, facets, map) accepts. */
export type FilterQuery = QueryOf<paths["/api/timeline/months"]["get"]>;
export type TimelineItem = JsonOf<paths["/api/timeline"]["get"]["responses"][200]>["results"][number] & {
  /** Not in the API (yet); downloads use it when present instead of fetching the detail. */
  preferred_file?: number | null;
};
export type MonthCount = JsonOf<paths["/api/timeline/months"]["get"]["responses"][200]>[number];
export type DuplicateGroups = JsonOf<paths["/api/duplicates"]["get"]["responses"][200]>;
export type DuplicateGroup = DuplicateGroups["groups"][number];
export type DuplicatePhoto = DuplicateGroup["photos"][number];
export type Stack = JsonOf<paths["/api/stacks/{cover_id}"]["get"]["responses"][200]>;
export type Facets = JsonOf<paths["/api/timeline/facets"]["get"]["responses"][200]>;
export type FacetTag = Facets["tags"][string][number];
export type FacetOption = Facets["cameras"][number];
export type Suggestion = JsonOf<paths["/api/search/suggest"]["get"]["responses"][200]>[number];
export type SearchExplanation = JsonOf<paths["/api/search"]["get"]["responses"][200]>;
export type SearchWord = SearchExplanation["words"][number];
export type MapPoints = JsonOf<paths["/api/map"]["get"]["responses"][200]>;
export type PhotoDetail = JsonOf<paths["/api/photos/{photo_id}"]["get"]["responses"][200]>;
export type PhotoUpdate = BodyOf<paths["/api/photos/{photo_id}"]["patch"]>;
export type BulkRequest = BodyOf<paths["/api/photos/bulk"]["post"]>;
export type TrashStatus = JsonOf<paths["/api/trash"]["get"]["responses"][200]>;
export type RestoreResult = JsonOf<paths["/api/trash/restore"]["post"]["responses"][200]>;
export type EmptyResult = JsonOf<paths["/api/trash/empty"]["post"]["responses"][200]>;

// ---------------------------------------------------------------------------------------------
// Libraries, settings, classifiers

export type Library = JsonOf<paths["/api/libraries"]["get"]["responses"][200]>[number];
/** A page of a library's files that could not be imported (failed or unsupported), with the reason. */
export type ImportErrorPage = JsonOf<paths["/api/libraries/{library_id}/errors"]["get"]["responses"][200]>;
export type ImportError = ImportErrorPage["results"][number];
export type LibraryCreateRequest = BodyOf<paths["/api/libraries"]["post"]>;
export type LibraryMember = JsonOf<paths["/api/libraries/{library_id}/members"]["get"]["responses"][200]>[number];
export type LibraryRole = LibraryMember["role"];
export type FolderRemoved = JsonOf<paths["/api/libraries/{library_id}/folders/{folder_id}"]["delete"]["responses"][200]>;
export type ClassifierSwitches = JsonOf<paths["/api/libraries/{library_id}/classifiers"]["get"]["responses"][200]>;
export type ServerFolders = JsonOf<paths["/api/server/folders"]["get"]["responses"][200]>;
export type InstalledClassifier = JsonOf<paths["/api/classifiers"]["get"]["responses"][200]>[number];

// ---------------------------------------------------------------------------------------------
// Users and API tokens

export type ManagedUser = JsonOf<paths["/api/users"]["get"]["responses"][200]>[number];
export type UserCreateBody = BodyOf<paths["/api/users"]["post"]>;
export type UserPatchBody = BodyOf<paths["/api/users/{user_id}"]["patch"]>;
export type ApiToken = JsonOf<paths["/api/tokens"]["get"]["responses"][200]>[number];
export type ApiTokenCreated = JsonOf<paths["/api/tokens"]["post"]["responses"][201]>;

// ---------------------------------------------------------------------------------------------
// Albums and share links

export type Album = JsonOf<paths["/api/albums"]["get"]["responses"][200]>[number];
export type AlbumRole = Album["my_role"];
export type AlbumSort = Album["sort"];
export type AlbumPhoto = JsonOf<paths["/api/albums/{album_id}/photos"]["get"]["responses"][200]>["results"][number];
export type AlbumMember = JsonOf<paths["/api/albums/{album_id}/members"]["get"]["responses"][200]>[number];
export type AlbumMemberRole = AlbumMember["role"];
export type AlbumCandidate = JsonOf<paths["/api/albums/{album_id}/candidates"]["get"]["responses"][200]>[number];
export type ReorderBody = BodyOf<paths["/api/albums/{album_id}/reorder"]["post"]>;
export type ShareLink = JsonOf<paths["/api/shares"]["get"]["responses"][200]>[number];
export type ShareCreated = JsonOf<paths["/api/shares"]["post"]["responses"][201]>;
export type ShareCreateBody = BodyOf<paths["/api/shares"]["post"]>;
export type SharePatchBody = BodyOf<paths["/api/shares/{share_id}"]["patch"]>;

// ---------------------------------------------------------------------------------------------
// The public share page (no account)

export type ShareInfo = JsonOf<paths["/api/share/{token}"]["get"]["responses"][200]>;
export type SharePhoto = JsonOf<paths["/api/share/{token}/photos"]["get"]["responses"][200]>["results"][number];
export type SharePhotoDetail = JsonOf<paths["/api/share/{token}/photos/{photo_id}"]["get"]["responses"][200]>;

// ---------------------------------------------------------------------------------------------
// People and faces

export type Person = JsonOf<paths["/api/people/{person_id}"]["get"]["responses"][200]>;
export type Face = JsonOf<paths["/api/people/{person_id}/faces"]["get"]["responses"][200]>[number];
export type FaceBox = Face["box"];
export type PhotoTags = JsonOf<paths["/api/photos/{photo_id}/tags"]["get"]["responses"][200]>;
export type PhotoTag = PhotoTags["tags"][string][number];
export type FacePage = JsonOf<paths["/api/faces"]["get"]["responses"][200]>;
export type FaceSuggestion = JsonOf<paths["/api/faces/{face_id}/suggestions"]["get"]["responses"][200]>[number];
export type FaceAssign = BodyOf<paths["/api/faces/{face_id}/assign"]["post"]>;

// Smart search (docs/search.md).
export type SemanticResults = JsonOf<paths["/api/search/semantic"]["get"]["responses"][200]>;
export type SemanticItem = SemanticResults["results"][number];
export type SmartSearchStatus = JsonOf<paths["/api/smart-search"]["get"]["responses"][200]>;

// ---------------------------------------------------------------------------------------------
// A library's own dates (birthdays, anniversaries) that become event tags

export type NamedDate = JsonOf<paths["/api/libraries/{library_id}/events"]["get"]["responses"][200]>[number];
export type NamedDateBody = BodyOf<paths["/api/libraries/{library_id}/events"]["post"]>;
