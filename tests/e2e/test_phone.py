"""The web app on a phone: every page fits a 390 × 844 screen, the navigation reaches every page,
the viewer steps by swipe, and the app installs (manifest, icons, service worker).

One server and one browser context (a phone: touch, 390 × 844) for the module, with the sample
library of the accessibility tests written into its database. Each page is opened, its content
waited for, then every element's box is compared with the window: nothing may reach past the
right edge (or the left), and the document may not scroll sideways. An element inside a box that
clips or scrolls its overflow (the map's tiles, a text cut with an ellipsis) is judged by that box.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.e2e.support import LiveServer, create_admin, path_is
from tests.e2e.test_accessibility import (
    OTHER_USER,
    SEED,
    SEED_PHOTOS,
    SHARE_PASSWORD,
    VISITS,
    Sample,
    Visit,
)

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}

# Every element whose box reaches past the window's sides, unless an ancestor clips or scrolls
# it (that ancestor is then judged itself); hidden and empty boxes are left out.
OVERFLOW = """(width) => {
    const found = [];
    const causes = [];
    if (window.innerWidth !== width) found.push(`the window is ${window.innerWidth} px wide`);
    const root = document.documentElement;
    if (root.scrollWidth > width) found.push(`the document is ${root.scrollWidth} px wide`);
    const clipped = (el) => {
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
            const overflow = getComputedStyle(up).overflowX;
            if (overflow !== "visible") return true;
        }
        return false;
    };
    const describe = (el) => {
        const id = el.id ? `#${el.id}` : "";
        const test = el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : "";
        const cls = typeof el.className === "string" && el.className
            ? "." + el.className.trim().split(/\\s+/).join(".") : "";
        const text = (el.textContent || "").trim().slice(0, 30);
        return `<${el.tagName.toLowerCase()}${id}${test}${cls}> "${text}"`;
    };
    for (const el of document.body.querySelectorAll("*")) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        if (box.right <= width + 0.5 && box.left >= -0.5) continue;
        const style = getComputedStyle(el);
        if (style.visibility === "hidden" || style.display === "contents") continue;
        if (clipped(el)) continue;
        // The causes first: what leaves its own parent (the rest are stretched by them).
        const parent = el.parentElement.getBoundingClientRect();
        const cause = box.right > parent.right + 0.5 || box.left < parent.left - 0.5;
        const line = `${describe(el)} spans ${Math.round(box.left)}..${Math.round(box.right)} px`;
        (cause ? causes : found).push(cause ? `${line}, past its parent's edge` : line);
    }
    return [...found.slice(0, 2), ...causes, ...found.slice(2)];
}"""


@pytest.fixture(scope="module")
def phone(browser: Any, module_server: LiveServer) -> Iterator[Any]:
    """The module's one page: a phone-sized, touch browser context on the server."""
    context = browser.new_context(
        base_url=module_server.url, viewport=PHONE, has_touch=True, is_mobile=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="module")
def sample(phone: Any, module_server: LiveServer) -> Sample:
    """The administrator, created through the first-run pages on the phone; the sample library."""
    phone.goto("/setup")
    expect(phone.get_by_role("button", name="Create admin account")).to_be_visible()
    assert_fits(phone, "/setup")
    create_admin(phone)
    code = f"PHOTOS = {[str(p) for p in SEED_PHOTOS]!r}\n"
    code += f"SHARE_PASSWORD = {SHARE_PASSWORD!r}\nOTHER_USER = {OTHER_USER!r}\n{SEED}"
    seeded = json.loads(module_server.manage("shell", "-c", code).strip().splitlines()[-1])
    return Sample(server=module_server, state=phone.context.storage_state(), **seeded)


def too_wide(page: Any, where: str) -> list[str]:
    """What on the page as it is now reaches past the phone's screen, in one paragraph."""
    found: list[str] = page.evaluate(OVERFLOW, PHONE["width"])
    if not found:
        return []
    shown = "\n  ".join(found[:12])
    more = f"\n  … and {len(found) - 12} more" if len(found) > 12 else ""
    return [f"{where} is wider than the phone ({PHONE['width']} px):\n  {shown}{more}"]


def assert_fits(page: Any, where: str) -> None:
    if problems := too_wide(page, where):
        pytest.fail(problems[0], pytrace=False)


# The accessibility tests' pages, signed in first and the signed-out ones last (one session).
SIGNED_IN = [v for v in VISITS if v.signed_in]
SIGNED_OUT = [v for v in VISITS if not v.signed_in]


def visit(page: Any, sample: Sample, each: Visit, shots: Path) -> list[str]:
    """The page's problems: what is too wide, or that its content could not be used."""
    where = f"{each.path(sample)} ({each.name})"
    page.goto(each.path(sample))
    try:
        each.ready(page, sample, "phone")
    except (AssertionError, PlaywrightError) as exc:
        page.screenshot(path=str(shots / f"{each.name}.png"))
        return [f"{where} could not be used on a phone: {str(exc).splitlines()[0]}"]
    return too_wide(page, where)


def test_every_page_fits_a_phone(phone: Any, sample: Sample, tmp_path: Path) -> None:
    """Every page, and the states of pages the accessibility tests open (dialogs, the filters,
    the selection): all the problems found, page by page."""
    problems: list[str] = []
    for each in SIGNED_IN:
        problems += visit(phone, sample, each, tmp_path)
    # Search: its suggestions, then the timeline filtered by the words.
    phone.goto("/")
    search = phone.get_by_role("combobox", name="Search photos")
    search.fill("Canon")
    expect(phone.get_by_role("listbox", name="Suggestions")).to_be_visible()
    problems += too_wide(phone, "/ (search suggestions)")
    search.press("Escape")
    search.fill("Canon")
    search.press("Enter")
    expect(phone).not_to_have_url(path_is("/"))
    problems += too_wide(phone, "search results")

    sign_out(phone)
    try:
        for each in SIGNED_OUT:
            problems += visit(phone, sample, each, tmp_path)
    finally:
        sign_in(phone)
    assert not problems, "\n".join(problems)


def test_navigation_reaches_every_page(phone: Any, sample: Sample) -> None:
    """On a phone the navigation is a bar along the bottom (the main places) and a menu (the
    rest): every place of the navigation is one or two taps away, on screen."""
    phone.goto("/")
    expect(phone.get_by_test_id("thumb").first).to_be_visible()
    nav = phone.get_by_role("navigation", name="Main")
    for name, path in [
        ("Albums", "/albums"),
        ("People", "/people"),
        ("Map", "/map"),
        ("Photos", "/"),
    ]:
        nav.get_by_role("link", name=name).tap()
        expect(phone).to_have_url(path_is(path))
        assert_fits(phone, f"{path} (from the navigation)")
    for name, path in [
        ("Settings", "/settings"),
        ("Jobs", "/jobs"),
        ("Users", "/users"),
        ("Account", "/account"),
    ]:
        menu = phone.get_by_role("button", name="More")
        menu.tap()
        expect(menu).to_have_attribute("aria-expanded", "true")
        link = phone.get_by_role("navigation", name="More").get_by_role("link", name=name)
        expect(link).to_be_in_viewport()
        link.tap()
        expect(phone).to_have_url(path_is(path))
        expect(menu).to_have_attribute("aria-expanded", "false")
        assert_fits(phone, f"{path} (from the menu)")


def test_viewer_swipes_and_shows_its_information(phone: Any, sample: Sample) -> None:
    """A swipe to the left shows the next photo, to the right the previous one; the date and the
    rating sit on one line each; the information opens as a sheet the width of the screen."""
    newest, failed = sample.photos[0], sample.failed
    phone.goto(f"/photos/{newest}")
    stage = phone.get_by_test_id("viewer-stage")
    expect(phone.get_by_test_id("viewer-image")).to_have_js_property("complete", True)
    swipe(phone, stage, -160)
    expect(phone).to_have_url(path_is(f"/photos/{failed}"))
    swipe(phone, stage, 160)
    expect(phone).to_have_url(path_is(f"/photos/{newest}"))

    date = phone.get_by_test_id("viewer-date")
    expect(date).to_have_text(re.compile(r"\d{4}"))
    line = date.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
    assert date.bounding_box()["height"] <= line * 1.5, "the date wraps onto several lines"
    stars = phone.get_by_role("group", name="Rating")
    assert boxes_apart(date.bounding_box(), stars.bounding_box()), "the date runs into the stars"

    phone.get_by_role("button", name="Info").click()
    sheet = phone.get_by_test_id("info-camera")
    expect(sheet).to_contain_text("Canon")
    panel = phone.locator(".info")
    box = panel.bounding_box()
    assert box["width"] >= PHONE["width"] - 1, "the information sheet is narrower than the screen"
    assert_fits(phone, "the viewer's information")


def boxes_apart(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] + a["width"] <= b["x"] + 0.5
        or b["x"] + b["width"] <= a["x"] + 0.5
        or a["y"] + a["height"] <= b["y"] + 0.5
        or b["y"] + b["height"] <= a["y"] + 0.5
    )


def swipe(page: Any, target: Any, dx: float) -> None:
    """One finger across *target*'s middle, *dx* pixels sideways, as the touchscreen sends it."""
    box = target.bounding_box()
    x, y = box["x"] + box["width"] / 2 - dx / 2, box["y"] + box["height"] / 2
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send(
            "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]}
        )
        for step in range(1, 6):
            point = {"x": x + dx * step / 5, "y": y}
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    finally:
        cdp.detach()


def sign_out(page: Any) -> None:
    """Log out from the phone's menu (the header keeps no Log out button on a phone)."""
    page.goto("/account")
    page.get_by_role("button", name="More").tap()
    menu = page.get_by_role("navigation", name="More")
    expect(menu).to_contain_text("Signed in as admin")
    assert_fits(page, "the navigation's menu")
    menu.get_by_role("button", name="Log out").tap()
    expect(page).to_have_url(path_is("/login"))


def sign_in(page: Any) -> None:
    from tests.e2e.support import ADMIN, PASSWORD

    page.goto("/login")
    page.get_by_label("Username").fill(ADMIN)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(path_is("/"))


# --- the installable app -----------------------------------------------------------------------


def fetch(server: LiveServer, path: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(f"{server.url}{path}", timeout=10) as response:  # noqa: S310
        return response.status, dict(response.headers), response.read()


def test_manifest_and_icons_are_served(module_server: LiveServer) -> None:
    status, headers, body = fetch(module_server, "/manifest.webmanifest")
    assert status == 200
    assert headers["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(body)
    assert manifest["name"] == "Photonix"
    assert manifest["short_name"]
    assert manifest["start_url"] == "/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["background_color"])
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any("maskable" in icon.get("purpose", "") for icon in manifest["icons"])
    for icon in manifest["icons"]:
        status, headers, body = fetch(module_server, icon["src"])
        assert status == 200, icon["src"]
        assert headers["Content-Type"] == icon["type"] == "image/png"
        width, height = (int(n) for n in icon["sizes"].split("x"))
        # A PNG's IHDR: width and height, big-endian, at bytes 16..24.
        assert body[:8] == b"\x89PNG\r\n\x1a\n"
        assert (int.from_bytes(body[16:20]), int.from_bytes(body[20:24])) == (width, height)

    # The page links the manifest and the home-screen icon iOS uses.
    status, headers, body = fetch(module_server, "/")
    html = body.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest"' in html
    touch_icon = re.search(r'<link rel="apple-touch-icon" href="([^"]+)"', html)
    assert touch_icon, "no apple-touch-icon"
    assert "manifest-src 'self'" in headers["Content-Security-Policy"]
    status, headers, body = fetch(module_server, touch_icon.group(1))
    assert status == 200
    assert headers["Content-Type"] == "image/png"
    assert (int.from_bytes(body[16:20]), int.from_bytes(body[20:24])) == (180, 180)


def test_service_worker_is_served_at_the_root(module_server: LiveServer) -> None:
    status, headers, body = fetch(module_server, "/sw.js")
    assert status == 200
    assert headers["Content-Type"].startswith("text/javascript")
    assert headers["Cache-Control"] == "no-cache"
    # The shell is precached from /static/ (and the manifest); nothing of the API or the photos.
    precached = re.findall(r'\{url:"([^"]+)",revision:', body.decode())
    assert "/static/index.html" in precached
    assert any(re.fullmatch(r"/static/assets/index-[\w-]+\.js", url) for url in precached)
    for url in precached:
        assert url.startswith("/static/") or url == "manifest.webmanifest", url
        status, _, _ = fetch(module_server, url if url.startswith("/") else f"/{url}")
        assert status == 200, url


def test_service_worker_controls_the_page(phone: Any, sample: Sample) -> None:
    phone.goto("/")
    expect(phone.get_by_test_id("thumb").first).to_be_visible()
    scope = phone.evaluate("async () => (await navigator.serviceWorker.ready).scope")
    assert scope == f"{sample.server.url}/"
    phone.reload()
    expect(phone.get_by_test_id("thumb").first).to_be_visible()
    assert phone.evaluate("() => navigator.serviceWorker.controller?.scriptURL") == (
        f"{sample.server.url}/sw.js"
    )
