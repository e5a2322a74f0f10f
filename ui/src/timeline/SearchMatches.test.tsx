import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { SearchExplanation } from "../api/types";
import { fakeApi, json } from "../test/fakeApi";
import { SearchMatches } from "./SearchMatches";
import { describeMatches } from "./searchMatches";

describe("describeMatches", () => {
  it("says how each word matched", () => {
    expect(
      describeMatches([
        { word: "beach", matches: [{ name: "seashore", field: "tag", relation: "related" }] },
        { word: "trip", matches: [{ name: "trip", field: "album", relation: "word" }] },
        { word: "waterfsll", matches: [{ name: "waterfall", field: "tag", relation: "typo" }] },
        { word: "zebra", matches: [] },
      ]),
    ).toBe("seashore (related to beach) · album trip · waterfall (for waterfsll) · nothing for zebra");
  });

  it("counts what it does not list", () => {
    const matches = ["cat", "catamaran", "hombre", "wildcat"].map((name) => ({
      name,
      field: "tag" as const,
      relation: "word" as const,
    }));
    expect(describeMatches([{ word: "cat", matches }])).toBe("cat, catamaran, hombre and 1 more");
  });
});

describe("SearchMatches", () => {
  it("shows what the free text matched under the search box", async () => {
    const answer: SearchExplanation = {
      words: [{ word: "kitty", matches: [{ name: "tabby cat", field: "tag", relation: "related" }] }],
      results: [],
    };
    const seen = fakeApi({ "GET /api/search": () => json(answer) });
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={client}>
        <SearchMatches q="kitty" />
      </QueryClientProvider>,
    );
    expect(await screen.findByText("Matched: tabby cat (related to kitty)")).toBeTruthy();
    expect(new URL(seen[0]?.url ?? "http://x/").searchParams.get("q")).toBe("kitty");
  });
});
