"""Accessibility, checked: axe-core on every page of the web app, and the main journey by keyboard.

One server for the module, with a small library written straight into its database (photos with
their thumbnails, one that failed, a file that could not be imported, an album, named and
unnamed people, a failed job, open and password-protected share links, a second user), so every
page has content to check. Each page is opened at a desktop and a phone size, its content waited
for, then ``axe.run`` from ``ui/node_modules/axe-core`` (installed by ``npm ci``) checks it; a
serious or critical violation fails the test with the rule, its help, and the elements' selectors.
The first-run page can only be seen before the administrator exists, so the module's first
fixture checks it and then creates the administrator.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.support import PASSWORD, LiveServer, create_admin, path_is

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_JS = REPO_ROOT / "ui" / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {
    "desktop": {"width": 1440, "height": 900},
    "phone": {"width": 390, "height": 844},
}
SCHEMES = ("light", "dark")
# What fails the test; moderate and minor findings are written to the report file only.
FAILING_IMPACTS = ("serious", "critical")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "photos"
SHARE_PASSWORD = "grandma-2024"
OTHER_USER = "robin"

# The sample library, written as the pipeline would leave it; prints what the pages need, as JSON.
SEED = """
import datetime as dt
import json
from pathlib import Path
from django.utils import timezone
from photonix.albums.services import album_create, share_create
from photonix.core.models import User
from photonix.core.services import user_create
from photonix.faces.models import Face, Person
from photonix.library.models import Camera, Library, LibraryFolder, LibraryMember, Photo, PhotoFile
from photonix.media.thumbnails import render_photo
from photonix.pipeline.models import Job
from photonix.storage.derived import thumbnail_path

admin = User.objects.get(username="admin")
library = Library.objects.create(name="Family")
LibraryMember.objects.create(library=library, user=admin, role="owner")
folder = LibraryFolder.objects.create(library=library, path="/photos/family", watched=False)
camera = Camera.objects.create(make="Canon", model="EOS 40D")


def photo_of(source, name, taken, **facts):
    rendered = render_photo(Path(source), orientation=1)
    photo = Photo.objects.create(
        library=library, width=rendered.width, height=rendered.height,
        thumbnail_version=rendered.version, placeholder=rendered.placeholder,
        taken_local=taken, taken_source="exif", **facts,
    )
    for size, thumbnail in rendered.thumbnails.items():
        path = thumbnail_path(photo.pk, size, rendered.version)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(thumbnail.data)
    photo.preferred_file = PhotoFile.objects.create(
        library=library, folder=folder, photo=photo, path=f"/photos/family/{name}",
        kind="photo", state="ok", size=1, mtime_ns=1, file_type="JPEG",
        width=rendered.width, height=rendered.height,
    )
    photo.save()
    return photo


day = dt.datetime(2024, 7, 14, 10, 30)
photos = [
    photo_of(PHOTOS[0], "iguana.jpg", day, camera=camera, aperture=5.6, iso=200,
             exposure_time=1 / 250, focal_length=35, latitude=-0.9, longitude=-89.6, rating=4),
    photo_of(PHOTOS[1], "hopper.jpg", day - dt.timedelta(days=40), latitude=48.85,
             longitude=2.35),
    photo_of(PHOTOS[2], "curie.jpg", day - dt.timedelta(days=400)),
    photo_of(PHOTOS[3], "street.jpg", day - dt.timedelta(days=800)),
]
failed = Photo.objects.create(
    library=library, taken_local=day - dt.timedelta(days=2),
    failure="UnidentifiedImageError: cannot identify image file",
)
failed.preferred_file = PhotoFile.objects.create(
    library=library, folder=folder, photo=failed, path="/photos/family/broken.jpg",
    kind="photo", state="ok", size=1, mtime_ns=1, file_type="JPEG",
)
failed.save()
not_imported = PhotoFile.objects.create(
    library=library, folder=folder, path="/photos/family/2019/truncated.jpg", kind="photo",
    state="failed", error="OSError: image file is truncated", size=10, mtime_ns=0,
)
now = timezone.now()
Job.objects.create(
    task_id="a11y-failed", name="photonix.pipeline.make_thumbnails", stage="thumbnails",
    photo=failed, library=library, state="failed", attempts=3,
    queued_at=now - dt.timedelta(minutes=5), started_at=now - dt.timedelta(minutes=4),
    finished_at=now - dt.timedelta(minutes=3), error=failed.failure,
    traceback="Traceback (most recent call last):\\n  ...\\n" + failed.failure,
)
Job.objects.create(
    task_id="a11y-done", name="photonix.pipeline.make_thumbnails", stage="thumbnails",
    photo=photos[0], library=library, state="succeeded", attempts=1,
    queued_at=now - dt.timedelta(minutes=5), finished_at=now - dt.timedelta(minutes=4),
)

hopper, curie = photos[1], photos[2]
named = Person.objects.create(library=library, name="Grace Hopper", confirmed=True)
face = Face.objects.create(
    photo=hopper, library=library, person=named, verdict="confirmed",
    x=0.3, y=0.2, width=0.4, height=0.45, size=200,
)
named.cover_face = face
named.save()
group = Person.objects.create(library=library)
group.cover_face = Face.objects.create(
    photo=curie, library=library, person=group, x=0.35, y=0.15, width=0.3, height=0.35, size=180,
)
group.save()
Face.objects.create(photo=curie, library=library, person=group, x=0.1, y=0.1, width=0.1,
                    height=0.1, size=60)
Face.objects.create(photo=photos[3], library=library, x=0.4, y=0.3, width=0.2, height=0.25,
                    size=120)

album = album_create(admin, library, "Summer 2024", description="Iguanas and rocks",
                     photo_ids=[p.pk for p in photos[:3]])
_, token = share_create(admin, album=album, label="grandma", allow_download=True,
                        expires_at=now + dt.timedelta(days=7))
_, locked = share_create(admin, photo_ids=[photos[0].pk, photos[3].pk], label="Beach day",
                         password=SHARE_PASSWORD)
user_create(username=OTHER_USER, password="another-long-Passphrase-7")
print(json.dumps({
    "library": library.pk, "photos": [p.pk for p in photos], "failed": failed.pk,
    "not_imported": not_imported.pk, "album": album.pk, "person": named.pk,
    "token": token, "locked": locked,
}))
"""
SEED_PHOTOS = [
    FIXTURES / "jpeg-exif" / "Canon_40D.jpg",
    FIXTURES / "faces-objects" / "hopper_face.jpg",
    FIXTURES / "faces-objects" / "curie_portrait.jpg",
    FIXTURES / "gps" / "DSCN0010.jpg",
]


@dataclass(frozen=True)
class Sample:
    server: LiveServer
    state: dict[str, Any]  # the signed-in administrator's cookies (Playwright storage state)
    library: int
    photos: list[int]  # newest first, as the timeline shows them (the failed photo apart)
    failed: int
    not_imported: int
    album: int
    person: int
    token: str
    locked: str


# --- axe ---------------------------------------------------------------------------------------


def axe_source() -> str:
    if not AXE_JS.is_file():
        pytest.fail(
            f"axe-core is missing ({AXE_JS.relative_to(REPO_ROOT)}): install the UI's packages "
            "with `cd ui && npm ci` (or any make target that builds the UI)"
        )
    return AXE_JS.read_text(encoding="utf-8")


def audit(page: Any, where: str) -> list[dict[str, Any]]:
    """axe's violations on the page as it is now (injected on demand: the page's own
    Content-Security-Policy does not apply to Playwright's evaluation)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    found: list[dict[str, Any]] = page.evaluate(
        """async () => {
            const result = await window.axe.run(document, { resultTypes: ["violations"] });
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({
                    target: n.target.map(String).join(" "), summary: n.failureSummary || "",
                })),
            }));
        }"""
    )
    return [{**violation, "page": where} for violation in found]


def audit_schemes(page: Any, where: str, shots: Path | None = None) -> list[dict[str, Any]]:
    """Violations in each colour scheme (the app follows the system's), on the same page; with
    *shots*, a screenshot of each scheme that has a failing one."""
    violations: list[dict[str, Any]] = []
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        page.wait_for_function(
            "scheme => matchMedia(`(prefers-color-scheme: ${scheme})`).matches", arg=scheme
        )
        found = audit(page, f"{where}, {scheme}")
        if shots is not None and any(v["impact"] in FAILING_IMPACTS for v in found):
            page.screenshot(path=str(shots / f"{scheme}.png"), full_page=True)
        violations += found
    return violations


def report(violations: list[dict[str, Any]]) -> str:
    """One paragraph per rule: impact, rule id, help, where, and up to ten elements."""
    lines: list[str] = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} — on {v['page']}")
        lines.append(f"    {v['helpUrl']}")
        for node in v["nodes"][:10]:
            lines.append(f"    • {node['target']}")
            for detail in node["summary"].splitlines()[1:3]:
                lines.append(f"        {detail.strip()}")
        if len(v["nodes"]) > 10:
            lines.append(f"    … and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


def assert_accessible(violations: list[dict[str, Any]], tmp_path: Path) -> None:
    (tmp_path / "axe.json").write_text(json.dumps(violations, indent=2), encoding="utf-8")
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    if failing:
        pytest.fail(
            f"{len(failing)} serious or critical accessibility violation(s) "
            f"(all findings: {tmp_path / 'axe.json'}):\n{report(failing)}",
            pytrace=False,
        )


# --- fixtures ----------------------------------------------------------------------------------


def new_page(browser: Any, server: LiveServer, viewport: str, state: Any = None) -> Any:
    context = browser.new_context(
        base_url=server.url,
        viewport=VIEWPORTS[viewport],
        storage_state=state,
    )
    context.set_default_timeout(10_000)
    return context.new_page()


@pytest.fixture(scope="module")
def first_run(browser: Any, module_server: LiveServer) -> Iterator[dict[str, Any]]:
    """The setup page's violations at each size (it is only reachable before the administrator
    exists), then the administrator created through it; their signed-in storage state."""
    found: dict[str, Any] = {}
    for viewport in VIEWPORTS:
        page = new_page(browser, module_server, viewport)
        try:
            page.goto("/setup")
            expect(page.get_by_role("button", name="Create admin account")).to_be_visible()
            found[viewport] = audit_schemes(page, f"/setup ({viewport})")
        finally:
            page.context.close()
    page = new_page(browser, module_server, "desktop")
    try:
        create_admin(page)
        found["state"] = page.context.storage_state()
    finally:
        page.context.close()
    yield found


@pytest.fixture(scope="module")
def sample(module_server: LiveServer, first_run: dict[str, Any]) -> Sample:
    code = f"PHOTOS = {[str(p) for p in SEED_PHOTOS]!r}\n"
    code += f"SHARE_PASSWORD = {SHARE_PASSWORD!r}\nOTHER_USER = {OTHER_USER!r}\n{SEED}"
    seeded = json.loads(module_server.manage("shell", "-c", code).strip().splitlines()[-1])
    return Sample(server=module_server, state=first_run["state"], **seeded)


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


# --- the pages ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    """A page (or a state of one) to check: where it is, and what shows once it has loaded."""

    name: str
    path: Callable[[Sample], str]
    ready: Callable[[Any, Sample, str], None]
    signed_in: bool = True


def _heading(name: str) -> Callable[[Any, Sample, str], None]:
    def ready(page: Any, sample: Sample, viewport: str) -> None:
        expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()

    return ready


def _timeline(page: Any, sample: Sample, viewport: str) -> None:
    expect(page.get_by_test_id("thumb")).to_have_count(len(sample.photos) + 1)
    for image in page.get_by_test_id("thumb").locator("img").all():
        expect(image).to_have_js_property("complete", True)


def _viewer(page: Any, sample: Sample, viewport: str) -> None:
    """The photo, with its information panel (open by default on a wide window only)."""
    expect(page.get_by_test_id("viewer-image")).to_be_visible()
    expect(page.get_by_test_id("viewer-image")).to_have_js_property("complete", True)
    info = page.get_by_role("button", name="Info")
    if viewport == "phone":
        expect(info).to_have_attribute("aria-pressed", "false")
        info.click()
    expect(page.get_by_test_id("info-camera")).to_contain_text("Canon")


def _failed_viewer(page: Any, sample: Sample, viewport: str) -> None:
    expect(page.get_by_test_id("viewer-failure")).to_contain_text("could not be shown")
    expect(page.get_by_role("button", name="Retry")).to_be_visible()


def _map(page: Any, sample: Sample, viewport: str) -> None:
    expect(page.get_by_test_id("map-count")).to_contain_text("2")
    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()


def _settings(page: Any, sample: Sample, viewport: str) -> None:
    expect(page.get_by_test_id(f"library-{sample.library}")).to_be_visible()
    expect(page.get_by_role("link", name="1 could not be imported")).to_be_visible()


def _import_errors(page: Any, sample: Sample, viewport: str) -> None:
    expect(page.get_by_test_id(f"import-error-{sample.not_imported}")).to_contain_text(
        "truncated.jpg"
    )


def _jobs(page: Any, sample: Sample, viewport: str) -> None:
    expect(page.get_by_role("heading", name="Jobs", level=1)).to_be_visible()
    expect(page.get_by_text("cannot identify image file").first).to_be_visible()


def _albums(page: Any, sample: Sample, viewport: str) -> None:
    expect(page.get_by_test_id(f"album-{sample.album}")).to_contain_text("Summer 2024")


def _album(page: Any, sample: Sample, viewport: str) -> None:
    expect(page.get_by_role("heading", name="Summer 2024", level=1)).to_be_visible()
    expect(page.get_by_test_id("album-photo")).to_have_count(3)


def _album_viewer(page: Any, sample: Sample, viewport: str) -> None:
    expect(page.get_by_test_id("viewer-position")).to_have_text(re.compile(r"^\d / 3$"))
    _viewer(page, sample, viewport)


def _shares(page: Any, sample: Sample, viewport: str) -> None:
    expect(page.locator("tbody tr")).to_have_count(2)


def _people(page: Any, sample: Sample, viewport: str) -> None:
    people = page.get_by_role("list", name="People")
    expect(people.get_by_role("link", name="Grace Hopper")).to_be_visible()
    expect(page.get_by_test_id("unnamed-face")).to_have_count(1)


def _person(page: Any, sample: Sample, viewport: str) -> None:
    expect(page.get_by_role("heading", name="Grace Hopper", level=1)).to_be_visible()
    expect(page.get_by_test_id("person-photo")).to_have_count(1)


def _users(page: Any, sample: Sample, viewport: str) -> None:
    expect(page.get_by_role("heading", name="Users", level=1)).to_be_visible()
    expect(page.get_by_text(OTHER_USER, exact=True)).to_be_visible()


def _share(page: Any, sample: Sample, viewport: str) -> None:
    expect(page.get_by_role("heading", name="Summer 2024", level=1)).to_be_visible()
    expect(page.get_by_test_id("share-photo")).to_have_count(3)


def _share_viewer(page: Any, sample: Sample, viewport: str) -> None:
    _share(page, sample, viewport)
    page.get_by_test_id("share-photo").first.click()
    viewer = page.get_by_role("dialog", name=re.compile(r"Photo 1 of 3"))
    expect(viewer.locator("img")).to_have_js_property("complete", True)


def _selection(page: Any, sample: Sample, viewport: str) -> None:
    """The timeline with two photos selected (the selection's toolbar) and the filters open."""
    _timeline(page, sample, viewport)
    page.get_by_role("button", name="Select photo").first.click()
    page.get_by_role("button", name="Select photo").nth(1).click()
    expect(page.get_by_test_id("selection-count")).to_have_text("2 selected")
    filters = page.get_by_role("button", name="Filters", exact=True)
    # Open by default on a wide window only.
    if viewport == "phone":
        expect(filters).to_have_attribute("aria-expanded", "false")
        filters.click()
    expect(filters).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_test_id("facet-total")).to_be_visible()


def _add_to_album(page: Any, sample: Sample, viewport: str) -> None:
    _timeline(page, sample, viewport)
    page.get_by_role("button", name="Select photo").first.click()
    page.get_by_role("toolbar", name="Selected photos").get_by_role(
        "button", name="Add to album"
    ).click()
    dialog = page.get_by_role("dialog", name="Add 1 photo to an album")
    expect(dialog.get_by_text("Summer 2024")).to_be_visible()


def _share_dialog(page: Any, sample: Sample, viewport: str) -> None:
    _album(page, sample, viewport)
    page.get_by_role("button", name="Share link").click()
    dialog = page.get_by_role("dialog", name="Share link for Summer 2024")
    dialog.get_by_label("Protect with a password").check()
    expect(dialog.get_by_label("Link password")).to_be_visible()


def _shortcuts(page: Any, sample: Sample, viewport: str) -> None:
    _heading("Account")(page, sample, viewport)
    page.get_by_role("button", name="Keyboard shortcuts").click()
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()


VISITS = [
    Visit("login", lambda s: "/login", _heading("Log in"), signed_in=False),
    Visit("welcome", lambda s: "/welcome", _heading("Set up your first library")),
    Visit("timeline", lambda s: "/", _timeline),
    Visit("timeline-selection-filters", lambda s: "/", _selection),
    Visit("timeline-add-to-album", lambda s: "/", _add_to_album),
    Visit("viewer", lambda s: f"/photos/{s.photos[0]}", _viewer),
    Visit("viewer-failed-photo", lambda s: f"/photos/{s.failed}", _failed_viewer),
    Visit("map", lambda s: "/map", _map),
    Visit("settings", lambda s: "/settings", _settings),
    Visit("import-errors", lambda s: f"/settings/libraries/{s.library}/errors", _import_errors),
    Visit("jobs", lambda s: "/jobs", _jobs),
    Visit("albums", lambda s: "/albums", _albums),
    Visit("album", lambda s: f"/albums/{s.album}", _album),
    Visit("album-share-dialog", lambda s: f"/albums/{s.album}", _share_dialog),
    Visit("album-viewer", lambda s: f"/albums/{s.album}/photos/{s.photos[0]}", _album_viewer),
    Visit("shares", lambda s: "/shares", _shares),
    Visit("people", lambda s: "/people", _people),
    Visit("person", lambda s: f"/people/{s.person}", _person),
    Visit("users", lambda s: "/users", _users),
    Visit("account", lambda s: "/account", _heading("Account")),
    Visit("shortcuts-help", lambda s: "/account", _shortcuts),
    Visit("share", lambda s: f"/s/{s.token}", _share, signed_in=False),
    Visit("share-viewer", lambda s: f"/s/{s.token}", _share_viewer, signed_in=False),
    Visit("share-password", lambda s: f"/s/{s.locked}", _heading("This link is protected"), False),
    Visit("not-found", lambda s: "/no/such/page", _heading("Page not found")),
]


def test_setup_page(first_run: dict[str, Any], viewport: str, tmp_path: Path) -> None:
    assert_accessible(first_run[viewport], tmp_path)


@pytest.mark.parametrize("visit", VISITS, ids=[v.name for v in VISITS])
def test_page(browser: Any, sample: Sample, visit: Visit, viewport: str, tmp_path: Path) -> None:
    page = new_page(browser, sample.server, viewport, sample.state if visit.signed_in else None)
    try:
        path = visit.path(sample)
        page.goto(path)
        visit.ready(page, sample, viewport)
        violations = audit_schemes(page, f"{path} ({visit.name}, {viewport})", tmp_path)
    except Exception:
        page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
        raise
    finally:
        page.context.close()
    assert_accessible(violations, tmp_path)


# --- the keyboard ------------------------------------------------------------------------------

FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return "(nothing: the page itself)";
    const name = el.getAttribute("aria-label") || el.textContent.trim().slice(0, 40);
    return `<${el.tagName.toLowerCase()}> ${name}`;
}"""


def tab_to(page: Any, target: Any, *, backwards: bool = False, limit: int = 60) -> None:
    """Press Tab (Shift+Tab) until *target* has the focus (``document.activeElement``); fail,
    listing where the focus went, if it is not reached."""
    path: list[str] = []
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        path.append(page.evaluate(FOCUSED))
    raise AssertionError(
        f"{target} not reached with {limit} presses of {'Shift+' if backwards else ''}Tab; "
        "the focus went:\n  " + "\n  ".join(path)
    )


def focus_within(page: Any, container: Any) -> None:
    expect(container).to_be_visible()
    assert container.evaluate("el => el.contains(document.activeElement)"), (
        f"the focus is on {page.evaluate(FOCUSED)}, not inside {container}"
    )


def test_main_journey_by_keyboard(browser: Any, sample: Sample) -> None:
    """Sign in, open the shortcuts, use the filters, step through photos in the viewer, select
    a photo and open its actions, sign out: with the keyboard alone, focus where it belongs."""
    # Its own session (it signs out at the end), at the desktop size.
    page = new_page(browser, sample.server, "desktop")
    try:
        page.goto("/login")
        username = page.get_by_label("Username")
        tab_to(page, username)
        page.keyboard.type("admin")
        page.keyboard.press("Tab")
        expect(page.get_by_label("Password")).to_be_focused()
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        expect(page).to_have_url(path_is("/"))
        expect(page.get_by_test_id("thumb")).to_have_count(len(sample.photos) + 1)

        # The keyboard shortcuts, from the header: focus goes into the dialog and comes back.
        shortcuts = page.get_by_role("button", name="Keyboard shortcuts")
        tab_to(page, shortcuts)
        page.keyboard.press("Enter")
        dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
        focus_within(page, dialog)
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        expect(shortcuts).to_be_focused()

        # The filters (open from the start on a wide window): closed and opened from their
        # button, which moves the focus into the panel; its controls are reachable.
        filters_button = page.get_by_role("button", name="Filters", exact=True)
        panel = page.get_by_role("complementary", name="Filters")
        tab_to(page, filters_button)
        expect(filters_button).to_have_attribute("aria-expanded", "true")
        page.keyboard.press("Enter")
        expect(panel).to_have_count(0)
        expect(filters_button).to_be_focused()
        page.keyboard.press("Enter")
        expect(panel.get_by_role("button", name="Close filters")).to_be_focused()
        page.keyboard.press("Tab")
        focus_within(page, panel)
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Enter")
        expect(panel).to_have_count(0)
        expect(filters_button).to_be_focused()
        page.keyboard.press("Enter")
        expect(panel).to_be_visible()

        # The viewer: Enter on the newest photo opens it with the focus inside; the arrows step
        # through the timeline; Escape closes it onto the photo it showed last.
        newest, failed, older = sample.photos[0], sample.failed, sample.photos[1]
        tile = page.locator(f'[data-photo-id="{newest}"]').get_by_role("link")
        tab_to(page, tile)
        page.keyboard.press("Enter")
        expect(page).to_have_url(path_is(f"/photos/{newest}"))
        viewer = page.get_by_role("dialog", name="Photo viewer")
        expect(viewer.get_by_role("button", name="Close viewer")).to_be_focused()
        page.keyboard.press("ArrowRight")
        expect(page).to_have_url(path_is(f"/photos/{failed}"))
        page.keyboard.press("ArrowRight")
        expect(page).to_have_url(path_is(f"/photos/{older}"))
        page.keyboard.press("ArrowLeft")
        expect(page).to_have_url(path_is(f"/photos/{failed}"))
        focus_within(page, viewer)
        page.keyboard.press("Escape")
        expect(page).to_have_url(path_is("/"))
        expect(viewer).to_have_count(0)
        expect(page.locator(f'[data-photo-id="{failed}"]').get_by_role("link")).to_be_focused()

        # Select that photo (its check button follows it), then reach the selection's actions.
        page.keyboard.press("Tab")
        check = page.locator(f'[data-photo-id="{failed}"]').get_by_role("button")
        expect(check).to_be_focused()
        page.keyboard.press("Space")
        expect(page.get_by_test_id("selection-count")).to_have_text("1 selected")
        expect(check).to_have_attribute("aria-pressed", "true")
        toolbar = page.get_by_role("toolbar", name="Selected photos")
        add = toolbar.get_by_role("button", name="Add to album")
        tab_to(page, add)
        page.keyboard.press("Enter")
        dialog = page.get_by_role("dialog", name="Add 1 photo to an album")
        focus_within(page, dialog)
        page.keyboard.press("Escape")
        expect(dialog).to_have_count(0)
        expect(add).to_be_focused()

        # Back up to the header, and sign out.
        logout = page.get_by_role("button", name="Log out")
        tab_to(page, logout, backwards=True)
        page.keyboard.press("Enter")
        expect(page).to_have_url(path_is("/login"))
    finally:
        page.context.close()
