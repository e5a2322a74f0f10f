import { lazy, Suspense } from "react";
import { Route, Routes } from "react-router";
import { LoginPage } from "../auth/LoginPage";
import { AlbumPage } from "../albums/AlbumPage";
import { AlbumsPage } from "../albums/AlbumsPage";
import { AlbumViewerPage } from "../viewer/AlbumViewerPage";
import { SharesPage } from "../albums/SharesPage";
import { PeoplePage } from "../people/PeoplePage";
import { PersonPage } from "../people/PersonPage";
import { JobsPage } from "../jobs/JobsPage";
import { ImportErrorsPage } from "../settings/ImportErrorsPage";
import { SettingsPage } from "../settings/SettingsPage";
import { SetupPage } from "../setup/SetupPage";
import { WelcomePage } from "../setup/WelcomePage";
import { SharePage } from "../share/SharePage";
import { AppShell } from "../shared/AppShell";
import { ROUTES } from "../shared/routes";
import { TimelinePage } from "../timeline/TimelinePage";
import { ViewerPage } from "../viewer/ViewerPage";
import { AccountPage } from "../users/AccountPage";
import { UsersPage } from "../users/UsersPage";
import { NotFoundPage } from "./NotFoundPage";
import { SessionGate } from "./SessionGate";
import { SimilarPhotosPage } from "../smartsearch/SimilarPhotosPage";
import { DuplicatesPage } from "../duplicates/DuplicatesPage";
import { StackPage } from "../duplicates/StackPage";

// Leaflet only loads with the map.
const MapPage = lazy(() => import("../map/MapPage"));

export function AppRoutes() {
  return (
    <Routes>
      {/* Share links work without an account: no session gate, no redirect to /login. */}
      <Route path={ROUTES.share} element={<SharePage />} />
      <Route element={<SessionGate />}>
        <Route path={ROUTES.setup} element={<SetupPage />} />
        <Route path={ROUTES.login} element={<LoginPage />} />
        <Route path={ROUTES.welcome} element={<WelcomePage />} />
        {/* The signed-in pages share the header and navigation; the timeline and the map fill the window. */}
        <Route element={<AppShell fill />}>
          {/* The viewer opens over the timeline, which keeps its place and supplies the sequence. */}
          <Route path={ROUTES.home} element={<TimelinePage />}>
            <Route path={ROUTES.photo} element={<ViewerPage />} />
          </Route>
          <Route
            path={ROUTES.map}
            element={
              <Suspense fallback={<p className="muted splash">Loading the map…</p>}>
                <MapPage />
              </Suspense>
            }
          />
        </Route>
        <Route element={<AppShell />}>
          <Route path={ROUTES.settings} element={<SettingsPage />} />
          <Route path={ROUTES.importErrors} element={<ImportErrorsPage />} />
          <Route path={ROUTES.jobs} element={<JobsPage />} />
          <Route path={ROUTES.similar} element={<SimilarPhotosPage />} />
          <Route path={ROUTES.duplicates} element={<DuplicatesPage />} />
          <Route path={ROUTES.stack} element={<StackPage />} />
          <Route path={ROUTES.albums} element={<AlbumsPage />} />
          {/* Like the timeline's, the album's viewer opens over the album and steps through its order. */}
          <Route path={ROUTES.album} element={<AlbumPage />}>
            <Route path={ROUTES.albumPhoto} element={<AlbumViewerPage />} />
          </Route>
          <Route path={ROUTES.shares} element={<SharesPage />} />
          <Route path={ROUTES.people} element={<PeoplePage />} />
          <Route path={ROUTES.person} element={<PersonPage />} />
          <Route path={ROUTES.users} element={<UsersPage />} />
          <Route path={ROUTES.account} element={<AccountPage />} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
