import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Album, PhotoDetail } from "../api/types";
import {
  FAILED_JOB,
  FAMILY_LIBRARIES,
  IDLE_SUMMARY,
  MEMBER_SESSION,
  SIGNED_IN_SESSION,
  albumFixture,
  fakeApi,
  jobsPage,
  json,
  photoItem,
  type Handler,
} from "../test/fakeApi";
import { renderApp } from "../test/render";

const album = (id: number, name: string, my_role: Album["my_role"] = "owner"): Album =>
  albumFixture(id, name, { my_role, sort: "manual", date_from: "2024-01-03", date_to: "2024-01-09" });

const detail = (id: number): PhotoDetail => ({
  ...photoItem(id, 5),
  library: 1,
  taken_source: "exif",
  camera: "Canon EOS 40D",
  lens: null,
  aperture: null,
  exposure_time: null,
  iso: null,
  focal_length: null,
  focal_length_35mm: null,
  flash_fired: null,
  metering_mode: "",
  drive_mode: "",
  exposure_program: "",
  latitude: null,
  longitude: null,
  altitude: null,
  orientation: 1,
  description: "",
  artist: "",
  keywords: [],
  preferred_file: id * 10,
  files: [],
  camera_id: null,
  lens_id: null,
  user_rotation: 0,
  tags: [],
  people: [],
  title: "",
  edited: [],
  sidecar_error: "",
});

// The album's own order (manual): 30 comes first, so previous and next are not the date order.
const ORDER = [photoItem(30, 9), photoItem(10, 3), photoItem(20, 5)];

function routes(role: Album["my_role"], extra: Record<string, Handler> = {}) {
  return {
    "GET /api/auth/session": () => json(SIGNED_IN_SESSION),
    "GET /api/jobs/summary": () => json(IDLE_SUMMARY),
    "GET /api/albums/3": () => json(album(3, "Paris", role)),
    "GET /api/albums/3/photos": () => json({ count: 3, next: null, previous: null, results: ORDER }),
    "GET /api/photos/10": () => json(detail(10)),
    "GET /api/photos/20": () => json(detail(20)),
    "GET /api/photos/30": () => json(detail(30)),
    "GET /api/albums": () => json([album(3, "Paris", role), album(5, "Beach")]),
    "GET /api/libraries": () => json(FAMILY_LIBRARIES),
    ...extra,
  };
}

const location = () => screen.getByTestId("location").textContent;

describe("the viewer opened in an album", () => {
  it("steps through the album's order and closes back to the album", async () => {
    const user = userEvent.setup();
    fakeApi(routes("viewer"));
    renderApp("/albums/3/photos/10");
    expect(await screen.findByTestId("viewer-position")).toHaveTextContent("2 / 3");
    await user.keyboard("{ArrowRight}");
    await waitFor(() => expect(location()).toBe("/albums/3/photos/20"));
    expect(screen.getByTestId("viewer-position")).toHaveTextContent("3 / 3");
    expect(screen.queryByRole("button", { name: "Next photo" })).not.toBeInTheDocument();
    await user.keyboard("{ArrowLeft}{ArrowLeft}");
    await waitFor(() => expect(location()).toBe("/albums/3/photos/30"));
    expect(screen.getByTestId("viewer-position")).toHaveTextContent("1 / 3");
    await user.keyboard("{Escape}");
    await waitFor(() => expect(location()).toBe("/albums/3"));
    expect(screen.queryByTestId("viewer")).not.toBeInTheDocument();
    expect(await screen.findByRole("heading", { name: "Paris", level: 1 })).toBeInTheDocument();
  });

  it("removes the photo from the album and shows the next one", async () => {
    const user = userEvent.setup();
    const bodies: unknown[] = [];
    fakeApi(
      routes("editor", {
        "POST /api/albums/3/photos/remove": async (request) => {
          bodies.push(await request.json());
          return json({ removed: 1 });
        },
      }),
    );
    renderApp("/albums/3/photos/10");
    await user.click(await screen.findByRole("button", { name: "Info" }));
    const info = await screen.findByRole("complementary", { name: "Photo information" });
    // The albums holding the photo, each a link to it.
    expect(await within(info).findByRole("link", { name: "Paris" })).toHaveAttribute("href", "/albums/3");
    await user.click(within(info).getByRole("button", { name: "Remove from “Paris”" }));
    await waitFor(() => expect(location()).toBe("/albums/3/photos/20"));
    expect(bodies).toEqual([{ ids: [10] }]);
  });

  it("offers no removal to someone who may only view the album", async () => {
    const user = userEvent.setup();
    fakeApi(routes("viewer"));
    renderApp("/albums/3/photos/10");
    await user.click(await screen.findByRole("button", { name: "Info" }));
    const info = await screen.findByRole("complementary", { name: "Photo information" });
    expect(within(info).getByRole("button", { name: "Add to album" })).toBeInTheDocument();
    expect(within(info).queryByRole("button", { name: /Remove from/ })).not.toBeInTheDocument();
  });

  it("adds the photo to another album from the info panel", async () => {
    const user = userEvent.setup();
    const bodies: unknown[] = [];
    fakeApi(
      routes("owner", {
        "POST /api/albums/5/photos": async (request) => {
          bodies.push(await request.json());
          return json({ added: 1, ignored: 0 });
        },
      }),
    );
    renderApp("/albums/3/photos/20");
    await user.click(await screen.findByRole("button", { name: "Info" }));
    const info = await screen.findByRole("complementary", { name: "Photo information" });
    await user.click(within(info).getByRole("button", { name: "Add to album" }));
    const dialog = screen.getByRole("dialog", { name: "Add 1 photo to an album" });
    await user.click(await within(dialog).findByRole("button", { name: /Beach/ }));
    expect(await within(info).findByText("Added to “Beach”.")).toBeInTheDocument();
    expect(bodies).toEqual([{ ids: [20] }]);
    expect(screen.queryByRole("dialog", { name: "Add 1 photo to an album" })).not.toBeInTheDocument();
  });

  it("says so when the albums holding the photo cannot be loaded", async () => {
    const user = userEvent.setup();
    fakeApi(routes("viewer", { "GET /api/albums": () => json({ detail: "Boom." }, 500) }));
    renderApp("/albums/3/photos/10");
    await user.click(await screen.findByRole("button", { name: "Info" }));
    const info = await screen.findByRole("complementary", { name: "Photo information" });
    expect(await within(info).findByText(/Could not load the albums holding this photo/)).toBeInTheDocument();
    expect(within(info).queryByTestId("info-albums")).not.toBeInTheDocument();
  });

  it("lists a scene once in the info panel, though it is tagged as an object and a style", async () => {
    const user = userEvent.setup();
    const tag = (id: number, type: string, name: string, confidence: number, verdict = "auto") => ({
      id,
      type,
      name,
      confidence,
      verdict: verdict as PhotoDetail["tags"][number]["verdict"],
      source: type,
    });
    const waterfall: PhotoDetail = {
      ...detail(10),
      tags: [
        tag(1, "object", "geyser", 0.6),
        tag(2, "object", "landscape", 0.8),
        tag(3, "style", "geyser", 0.6),
        tag(4, "style", "Landscape", 0.8),
        tag(5, "style", "bright", 0.7),
        tag(6, "style", "vivid", 0.7, "rejected"),
      ],
    };
    fakeApi(routes("viewer", { "GET /api/photos/10": () => json(waterfall) }));
    renderApp("/albums/3/photos/10");
    await user.click(await screen.findByRole("button", { name: "Info" }));
    const info = await screen.findByRole("complementary", { name: "Photo information" });
    const things = within(info).getByRole("heading", { name: "Things" }).closest("section") as HTMLElement;
    const styles = within(info).getByRole("heading", { name: "Styles" }).closest("section") as HTMLElement;
    expect(within(things).getAllByRole("link").map((a) => a.textContent)).toEqual(["geyser", "landscape"]);
    expect(within(styles).getAllByRole("link").map((a) => a.textContent)).toEqual(["bright"]);
    expect(within(info).getAllByRole("link", { name: /landscape/i })).toHaveLength(1);
  });
});

describe("editing from the viewer", () => {
  it("sends each click on Rotate as a quarter turn, so quick clicks all count", async () => {
    const user = userEvent.setup();
    const bodies: unknown[] = [];
    fakeApi(
      routes("editor", {
        "PATCH /api/photos/10": async (request) => {
          bodies.push(await request.json());
          return json(detail(10));
        },
      }),
    );
    renderApp("/albums/3/photos/10");
    await user.click(await screen.findByRole("button", { name: "Info" }));
    const info = await screen.findByRole("complementary", { name: "Photo information" });
    const rotate = within(info).getByRole("button", { name: "Rotate" });
    await user.click(rotate);
    await user.click(rotate);
    await user.click(rotate);
    await waitFor(() => expect(bodies).toHaveLength(3));
    expect(bodies).toEqual([{ turn: 90 }, { turn: 90 }, { turn: 90 }]);
  });

  it("marks an undated photo and sets its date and zone", async () => {
    const user = userEvent.setup();
    const bodies: unknown[] = [];
    const undated: PhotoDetail = { ...detail(10), undated: true, taken_source: "mtime", taken_at: "2024-01-05T10:00:00+00:00" };
    fakeApi(
      routes("editor", {
        "GET /api/photos/10": () => json(undated),
        "PATCH /api/photos/10": async (request) => {
          bodies.push(await request.json());
          return json({ ...undated, undated: false, taken_source: "person", taken_at: "2019-07-14T09:30:00-04:00" });
        },
      }),
    );
    renderApp("/albums/3/photos/10");
    await user.click(await screen.findByRole("button", { name: "Info" }));
    const info = await screen.findByRole("complementary", { name: "Photo information" });
    expect(within(info).getByTestId("info-undated")).toHaveTextContent("Undated");
    await user.click(within(info).getByRole("button", { name: "Set date" }));
    const form = within(info).getByRole("form", { name: "Edit date" });
    const when = within(form).getByLabelText("Taken on");
    expect(when).toHaveValue("2024-01-05T10:00");
    await user.clear(when);
    await user.type(when, "2019-07-14T09:30");
    await user.selectOptions(within(form).getByLabelText("Time zone"), "UTC-04:00");
    await user.click(within(form).getByRole("button", { name: "Save date" }));
    await waitFor(() => expect(bodies).toEqual([{ taken_at: "2019-07-14T09:30:00-04:00" }]));
    await waitFor(() => expect(within(info).queryByRole("form", { name: "Edit date" })).not.toBeInTheDocument());
  });
});

describe("placing a photo from the viewer", () => {
  it("saves typed coordinates, and gives a copied place to another photo", async () => {
    const user = userEvent.setup();
    window.sessionStorage.clear();
    const bodies: unknown[] = [];
    const placed: PhotoDetail = { ...detail(20), latitude: 48.8584, longitude: 2.2945 };
    fakeApi(
      routes("editor", {
        "GET /api/photos/20": () => json(placed),
        "PATCH /api/photos/10": async (request) => {
          bodies.push(await request.json());
          return json({ ...detail(10), latitude: 48.8584, longitude: 2.2945 });
        },
      }),
    );
    renderApp("/albums/3/photos/10");
    await user.click(await screen.findByRole("button", { name: "Info" }));
    let info = await screen.findByRole("complementary", { name: "Photo information" });
    await user.click(within(info).getByRole("button", { name: "Set place" }));
    let form = within(info).getByRole("form", { name: "Edit place" });
    await user.type(within(form).getByLabelText("Latitude"), "95");
    await user.type(within(form).getByLabelText("Longitude"), "2.29");
    await user.click(within(form).getByRole("button", { name: "Save place" }));
    expect(within(form).getByText("A latitude is from -90 to 90.")).toBeInTheDocument();
    await user.clear(within(form).getByLabelText("Latitude"));
    await user.type(within(form).getByLabelText("Latitude"), "-33,86");
    await user.click(within(form).getByRole("button", { name: "Save place" }));
    await waitFor(() => expect(bodies).toEqual([{ location: { latitude: -33.86, longitude: 2.29 } }]));

    // Copy the place of photo 20, then give it to photo 10.
    await user.keyboard("{ArrowRight}");
    await waitFor(() => expect(location()).toBe("/albums/3/photos/20"));
    info = await screen.findByRole("complementary", { name: "Photo information" });
    await user.click(await within(info).findByRole("button", { name: "Copy place" }));
    await user.click(screen.getByRole("button", { name: "Previous photo" }));
    await waitFor(() => expect(location()).toBe("/albums/3/photos/10"));
    info = await screen.findByRole("complementary", { name: "Photo information" });
    await user.click(await within(info).findByRole("button", { name: /^(Set|Edit) place$/ }));
    form = within(info).getByRole("form", { name: "Edit place" });
    await user.click(within(form).getByRole("button", { name: /Use the copied place/ }));
    await waitFor(() => expect(bodies).toHaveLength(2));
    expect(bodies[1]).toEqual({ location_from: 20 });
  });
});

describe("the viewer of a failed photo", () => {
  const reason = "The file is damaged: it ends too soon";
  const failed = { ...detail(10), thumbnail_version: 0, failed: true, failure: reason };

  it("lets an administrator retry its failed job, then says it is being processed again", async () => {
    const user = userEvent.setup();
    const seen = fakeApi(
      routes("owner", {
        "GET /api/photos/10": () => json(failed),
        "GET /api/jobs": () => json(jobsPage([{ ...FAILED_JOB, id: 77, photo: 10 }])),
        "POST /api/jobs/77/retry": () => json({ retried: 1 }),
      }),
    );
    renderApp("/albums/3/photos/10");
    const failure = await screen.findByTestId("viewer-failure");
    expect(failure).toHaveTextContent(`This photo could not be shown: ${reason}`);
    const asked = seen.find((r) => new URL(r.url).pathname === "/api/jobs");
    expect(Object.fromEntries(new URL(asked?.url ?? "http://x").searchParams)).toMatchObject({
      photo: "10",
      state: "failed",
      include_dismissed: "true",
    });

    await user.click(await within(failure).findByRole("button", { name: "Retry" }));

    await waitFor(() =>
      expect(screen.getByTestId("viewer-failure")).toHaveTextContent("Processing this photo again."),
    );
    expect(seen.some((r) => r.method === "POST" && new URL(r.url).pathname === "/api/jobs/77/retry")).toBe(true);
    expect(screen.queryByRole("button", { name: "Retry" })).not.toBeInTheDocument();
  });

  it("shows no Retry to someone who does not administer", async () => {
    const seen = fakeApi(
      routes("viewer", {
        "GET /api/auth/session": () => json(MEMBER_SESSION),
        "GET /api/photos/10": () => json(failed),
      }),
    );
    renderApp("/albums/3/photos/10");
    expect(await screen.findByTestId("viewer-failure")).toHaveTextContent(reason);
    expect(screen.queryByRole("button", { name: "Retry" })).not.toBeInTheDocument();
    expect(seen.some((r) => new URL(r.url).pathname === "/api/jobs")).toBe(false);
  });
});
