import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { Suggestion } from "../api/types";
import type { Filters } from "../shared/filters";
import { fakeApi, json } from "../test/fakeApi";
import { SearchBox } from "./SearchBox";

function renderBox(filters: Filters, answers: Record<string, Suggestion[]>) {
  const seen = fakeApi({
    "GET /api/search/suggest": (request) => json(answers[new URL(request.url).searchParams.get("q") ?? ""] ?? []),
  });
  const onChange = vi.fn();
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <SearchBox filters={filters} onChange={onChange} />
    </QueryClientProvider>,
  );
  return { onChange, seen };
}

describe("SearchBox", () => {
  it("turns every word into its filter at once", async () => {
    const words: Suggestion = {
      kind: "words",
      label: "cat · Paris · July 2019",
      params: { tag: [12], place: 31, date_from: "2019-07-01", date_to: "2019-07-31" },
    };
    const { onChange } = renderBox({ tag: [3], camera: [1] }, { "cat paris july 2019": [words] });
    const box = screen.getByRole("combobox", { name: "Search photos" });
    fireEvent.change(box, { target: { value: "cat paris july 2019" } });
    const option = await screen.findByRole("option", { name: /cat · Paris · July 2019/ });
    expect(option).toHaveTextContent("every word");
    fireEvent.keyDown(box, { key: "ArrowDown" });
    fireEvent.keyDown(box, { key: "Enter" });
    // Lists gain the ids, single values are set: the filters already chosen stay.
    expect(onChange).toHaveBeenLastCalledWith({
      tag: [3, 12],
      camera: [1],
      place: 31,
      date_from: "2019-07-01",
      date_to: "2019-07-31",
    });
    expect(box).toHaveValue("");
  });

  it("searches the text as it is when no suggestion is picked", () => {
    const { onChange } = renderBox({}, {});
    const box = screen.getByRole("combobox", { name: "Search photos" });
    fireEvent.change(box, { target: { value: "red dogs" } });
    fireEvent.keyDown(box, { key: "Enter" });
    expect(onChange).toHaveBeenLastCalledWith({ q: "red dogs" });
  });
});
