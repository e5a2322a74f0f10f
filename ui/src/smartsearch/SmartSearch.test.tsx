import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { SmartSearchStatus } from "../api/types";
import { fakeApi, IDLE_SUMMARY, json, MEMBER_SESSION, photoItem, SIGNED_IN_SESSION } from "../test/fakeApi";
import { renderApp } from "../test/render";

const OFF: SmartSearchStatus = {
  model: "ViT-B-32__openai",
  model_present: false,
  index_available: true,
  available: false,
  reason: "the model ViT-B-32__openai is not downloaded",
  embedded_photos: 0,
};

const SEARCH_OFF = "Smart search is off: its model is not downloaded. An administrator can turn it on in Settings.";

function base(session = SIGNED_IN_SESSION) {
  return {
    "GET /api/auth/session": () => json(session),
    "GET /api/libraries": () => json([]),
    "GET /api/health": () => json({ status: "ok" }),
    "GET /api/jobs/summary": () => json(IDLE_SUMMARY),
  };
}

describe("Smart search", () => {
  it("is turned on by an administrator in Settings", async () => {
    let state = OFF;
    const seen = fakeApi({
      ...base(),
      "GET /api/smart-search": () => json(state),
      "POST /api/smart-search": () => {
        state = { ...OFF, reason: "downloading" };
        return json(state, 202);
      },
    });
    renderApp("/settings");
    const card = await screen.findByTestId("smart-search-card");
    expect(await within(card).findByTestId("smart-search-state")).toHaveTextContent("Off: the model ViT-B-32__openai is not downloaded");
    await userEvent.setup().click(within(card).getByRole("button", { name: "Turn on smart search" }));
    expect(await within(card).findByRole("status")).toHaveTextContent("being downloaded and checked");
    expect(seen.filter((r) => r.method === "POST" && r.url.endsWith("/api/smart-search"))).toHaveLength(1);
    expect(within(card).getByRole("button", { name: "Downloading…" })).toBeDisabled();
  });

  it("shows members its state without the button", async () => {
    fakeApi({ ...base(MEMBER_SESSION), "GET /api/smart-search": () => json(OFF) });
    renderApp("/settings");
    const card = await screen.findByTestId("smart-search-card");
    await within(card).findByTestId("smart-search-state");
    expect(within(card).queryByRole("button", { name: "Turn on smart search" })).toBeNull();
  });

  it("adds photos similar in meaning below the word results", async () => {
    const seen = fakeApi({
      ...base(),
      "GET /api/timeline": () => json({ results: [photoItem(1, 1)], next_cursor: null }),
      "GET /api/search/semantic": () =>
        json({ model: "ViT-B-32__openai", results: [{ ...photoItem(7, 2), score: 0.31 }, { ...photoItem(8, 3), score: 0.27 }] }),
    });
    renderApp("/?q=red%20car");
    const section = await screen.findByTestId("similar-in-meaning");
    expect(within(section).getByRole("heading", { name: "Similar in meaning" })).toBeInTheDocument();
    const photos = await within(section).findByTestId("similar-in-meaning-photos");
    expect(within(photos).getAllByRole("link").map((a) => a.getAttribute("data-photo-id"))).toEqual(["7", "8"]);
    const asked = seen.find((r) => r.url.includes("/api/search/semantic"));
    expect(new URL(asked!.url).searchParams.get("q")).toBe("red car");
  });

  it("says how to turn it on when it is off", async () => {
    fakeApi({
      ...base(),
      "GET /api/timeline": () => json({ results: [], next_cursor: null }),
      "GET /api/search/semantic": () => json({ detail: SEARCH_OFF }, 503),
    });
    renderApp("/?q=dog");
    expect(await screen.findByTestId("smart-search-off")).toHaveTextContent("turn it on in Settings");
  });

  it("lists the photos that look like one photo", async () => {
    fakeApi({
      ...base(),
      "GET /api/photos/5/similar": () => json({ model: "m", results: [{ ...photoItem(9, 1), score: 0.9 }] }),
    });
    renderApp("/similar/5");
    expect(await screen.findByRole("heading", { name: "Similar photos" })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId("similar-photos")).toBeInTheDocument());
    expect(within(screen.getByTestId("similar-photos")).getByRole("link")).toHaveAttribute("href", "/photos/9");
  });
});
