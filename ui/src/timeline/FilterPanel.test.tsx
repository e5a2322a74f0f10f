import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { Facets } from "../api/types";
import type { Filters } from "../shared/filters";
import { fakeApi, json } from "../test/fakeApi";
import { FilterPanel } from "./FilterPanel";

const option = (id: number, name: string, count: number) => ({ id, name, count });

function facets(overrides: Partial<Facets> = {}): Facets {
  return {
    tags: {},
    people: [],
    cameras: [],
    lenses: [],
    ranges: { aperture: null, exposure_time: null, iso: null, focal_length: null },
    flash: { fired: 0, not_fired: 0 },
    ratings: { "0": 0, "1": 0, "2": 0, "3": 0, "4": 0, "5": 0 },
    dates: null,
    total: 0,
    ...overrides,
  };
}

function renderPanel(filters: Filters, answer: Facets) {
  const seen = fakeApi({ "GET /api/timeline/facets": () => json(answer) });
  const onChange = vi.fn();
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <FilterPanel filters={filters} onChange={onChange} onClose={() => {}} />
    </QueryClientProvider>,
  );
  return { onChange, seen };
}

describe("FilterPanel", () => {
  it("adds a second camera to the one chosen (cameras are ORed)", async () => {
    // The server counts the cameras without the camera filter: every camera is offered.
    const { onChange, seen } = renderPanel(
      { camera: [1] },
      facets({ cameras: [option(1, "Canon EOS 40D", 2), option(2, "Nikon D750", 3)], total: 2 }),
    );
    const cameras = await screen.findByTestId("facet-cameras");
    expect(new URL(seen[0]!.url).searchParams.getAll("camera")).toEqual(["1"]);
    const canon = within(cameras).getByRole("checkbox", { name: "Canon EOS 40D" });
    const nikon = within(cameras).getByRole("checkbox", { name: "Nikon D750" });
    expect(canon).toBeChecked();
    expect(nikon).not.toBeChecked();
    expect(within(cameras).getByText("3")).toBeInTheDocument();
    fireEvent.click(nikon);
    expect(onChange).toHaveBeenLastCalledWith({ camera: [1, 2] });
  });

  it("keeps a chosen option the facets no longer list, so it can be unticked", async () => {
    const { onChange } = renderPanel(
      { lens: [7], camera: [1] },
      facets({ cameras: [option(1, "Canon EOS 40D", 2)], lenses: [option(3, "EF 50mm f/1.8", 1)], total: 0 }),
    );
    const lenses = await screen.findByTestId("facet-lenses");
    const gone = within(lenses).getByRole("checkbox", { name: "Lens 7" });
    expect(gone).toBeChecked();
    fireEvent.click(gone);
    expect(onChange).toHaveBeenLastCalledWith({ camera: [1], lens: undefined });
  });

  it("shows a chosen option outside the short list", async () => {
    const many = Array.from({ length: 12 }, (_, i) => option(i + 1, `Camera ${i + 1}`, 100 - i));
    renderPanel({ camera: [12] }, facets({ cameras: many, total: 88 }));
    const cameras = await screen.findByTestId("facet-cameras");
    const boxes = within(cameras).getAllByRole("checkbox");
    expect(boxes).toHaveLength(9); // the first eight and the chosen twelfth
    expect(within(cameras).getByRole("checkbox", { name: "Camera 12" })).toBeChecked();
    fireEvent.click(within(cameras).getByRole("button", { name: "All 12" }));
    expect(within(cameras).getAllByRole("checkbox")).toHaveLength(12);
  });

  it("labels an unnamed group and shows each person's face", async () => {
    renderPanel({}, facets({ people: [option(4, "Marie Curie", 3), option(9, "", 2), option(12, "", 1)], total: 3 }));
    const people = await screen.findByTestId("facet-people");
    expect(within(people).getAllByRole("checkbox").map((box) => box.getAttribute("aria-label"))).toEqual([
      "Marie Curie",
      "Unnamed person 9",
      "Unnamed person 12",
    ]);
    expect(within(people).getByText("Unnamed person 9")).toBeInTheDocument();
    expect([...people.querySelectorAll("img.facet__face")].map((img) => img.getAttribute("src"))).toEqual([
      "/api/people/4/crop",
      "/api/people/9/crop",
      "/api/people/12/crop",
    ]);
  });
});
