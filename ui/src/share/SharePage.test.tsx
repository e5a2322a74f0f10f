import { act, fireEvent, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeApi, json } from "../test/fakeApi";
import { renderApp } from "../test/render";

const TOKEN = "A".repeat(43);
const BASE = `/api/share/${TOKEN}`;

const LOCKED = {
  locked: true,
  password_required: true,
  kind: null,
  title: null,
  description: null,
  photo_count: null,
  cover: null,
  expires_at: null,
  allow_download: null,
  show_metadata: null,
  show_location: null,
};

const OPEN = {
  locked: false,
  password_required: true,
  kind: "album",
  title: "Paris",
  description: "Spring trip",
  photo_count: 2,
  cover: { id: 5, thumbnail_version: 1, placeholder: "" },
  expires_at: null,
  allow_download: true,
  show_metadata: true,
  show_location: false,
};

const PHOTOS = {
  count: 2,
  next: null,
  previous: null,
  results: [
    { id: 5, width: 100, height: 80, placeholder: "", thumbnail_version: 1, taken_at: "2024-04-01T10:00:00" },
    { id: 6, width: 100, height: 80, placeholder: "", thumbnail_version: 1, taken_at: "2024-04-02T11:00:00" },
  ],
};

function detail(id: number) {
  return {
    ...PHOTOS.results.find((photo) => photo.id === id),
    camera: "Canon EOS 40D",
    lens: null,
    aperture: 2.8,
    exposure_time: 0.004,
    iso: 100,
    focal_length: null,
    focal_length_35mm: null,
    flash_fired: false,
    description: "",
    artist: "",
    latitude: null,
    longitude: null,
    altitude: null,
    download: true,
  };
}

function openRoutes() {
  return {
    [`GET ${BASE}`]: () => json(OPEN),
    [`GET ${BASE}/photos`]: () => json(PHOTOS),
    [`GET ${BASE}/photos/5`]: () => json(detail(5)),
    [`GET ${BASE}/photos/6`]: () => json(detail(6)),
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("SharePage", () => {
  it("opens without an account: no session request, no sign-in redirect", async () => {
    const seen = fakeApi(openRoutes());
    renderApp(`/s/${TOKEN}`);

    expect(await screen.findByRole("heading", { name: "Paris", level: 1 })).toBeInTheDocument();
    expect(screen.getByTestId("location")).toHaveTextContent(`/s/${TOKEN}`);
    expect(await screen.findAllByTestId("share-photo")).toHaveLength(2);
    expect(screen.queryByRole("navigation")).not.toBeInTheDocument();
    const paths = seen.map((request) => new URL(request.url).pathname);
    expect(paths.every((path) => path.startsWith(BASE))).toBe(true);
    const images = document.querySelectorAll("img");
    for (const image of images) expect(image.getAttribute("src")).toMatch(new RegExp(`^${BASE}/photos/\\d+/thumbnail/grid`));
  });

  it("says a missing link is not found", async () => {
    fakeApi({});
    renderApp(`/s/${TOKEN}`);
    expect(await screen.findByRole("heading", { name: "Link not found" })).toBeInTheDocument();
  });

  it("asks for the password, refuses a wrong one, then unlocks", async () => {
    const user = userEvent.setup();
    let unlocked = false;
    fakeApi({
      ...openRoutes(),
      [`GET ${BASE}`]: () => json(unlocked ? OPEN : LOCKED),
      [`POST ${BASE}/unlock`]: async (request) => {
        const { password } = (await request.json()) as { password: string };
        if (password !== "right") return json({ detail: "Wrong password." }, 400);
        unlocked = true;
        return new Response(null, { status: 204 });
      },
    });
    renderApp(`/s/${TOKEN}`);

    expect(await screen.findByRole("heading", { name: "This link is protected" })).toBeInTheDocument();
    const unlock = screen.getByRole("button", { name: "Unlock" });
    expect(unlock).toBeDisabled();
    await user.type(screen.getByLabelText("Password"), "wrong");
    await user.click(unlock);
    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong password. Try again.");
    expect(screen.getByLabelText("Password")).toHaveValue("");

    await user.type(screen.getByLabelText("Password"), "right");
    await user.click(screen.getByRole("button", { name: "Unlock" }));
    expect(await screen.findByRole("heading", { name: "Paris", level: 1 })).toBeInTheDocument();
  });

  it("shows the wait after too many attempts and counts it down", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    fakeApi({
      [`GET ${BASE}`]: () => json(LOCKED),
      [`POST ${BASE}/unlock`]: () =>
        new Response(JSON.stringify({ detail: "Too many attempts. Try again in 3 seconds." }), {
          status: 429,
          headers: { "Content-Type": "application/json", "Retry-After": "3" },
        }),
    });
    renderApp(`/s/${TOKEN}`);
    const input = await screen.findByLabelText("Password");
    fireEvent.change(input, { target: { value: "guess" } });
    fireEvent.click(screen.getByRole("button", { name: "Unlock" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("Too many attempts. Try again in 3 s.");
    fireEvent.change(input, { target: { value: "again" } });
    expect(screen.getByRole("button", { name: "Unlock" })).toBeDisabled();

    for (let second = 0; second < 4; second++) {
      await act(async () => {
        await vi.advanceTimersByTimeAsync(1_000);
      });
    }
    expect(screen.getByRole("alert")).toHaveTextContent("You can try again now.");
    expect(screen.getByRole("button", { name: "Unlock" })).toBeEnabled();
  });

  it("views a photo with what the link allows, and steps with the keys", async () => {
    const user = userEvent.setup();
    fakeApi(openRoutes());
    renderApp(`/s/${TOKEN}`);

    await user.click((await screen.findAllByTestId("share-photo"))[0]!);
    const viewer = await screen.findByRole("dialog", { name: "Photo 1 of 2" });
    expect(await within(viewer).findByText("Canon EOS 40D")).toBeInTheDocument();
    expect(within(viewer).getByText(/f\/2.8 · 1\/250 s · ISO 100/)).toBeInTheDocument();
    expect(within(viewer).queryByText("Location")).not.toBeInTheDocument();
    expect(within(viewer).getByRole("link", { name: "Download original" })).toHaveAttribute(
      "href",
      `${BASE}/photos/5/original`,
    );
    expect(screen.getByTestId("location")).toHaveTextContent(`/s/${TOKEN}`);

    await user.keyboard("{ArrowRight}");
    expect(await screen.findByRole("dialog", { name: "Photo 2 of 2" })).toBeInTheDocument();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("offers no download and no metadata when the link forbids them", async () => {
    const user = userEvent.setup();
    fakeApi({
      ...openRoutes(),
      [`GET ${BASE}`]: () => json({ ...OPEN, allow_download: false, show_metadata: false }),
      [`GET ${BASE}/photos/5`]: () => json({ ...detail(5), camera: null, aperture: null, exposure_time: null, iso: null, taken_at: null, download: false }),
    });
    renderApp(`/s/${TOKEN}`);
    await user.click((await screen.findAllByTestId("share-photo"))[0]!);
    const viewer = await screen.findByRole("dialog", { name: "Photo 1 of 2" });
    await within(viewer).findByRole("img");
    expect(within(viewer).queryByRole("link", { name: "Download original" })).not.toBeInTheDocument();
    expect(within(viewer).queryByLabelText("About this photo")).not.toBeInTheDocument();
  });
});
