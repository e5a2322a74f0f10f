import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ApiError } from "../api/errors";
import { QueryState } from "./QueryState";

/** A query over a list of answers: each fetch takes the next one (an error is thrown). */
const DOWN = () => new ApiError(400, { detail: "The server is down." });

function Names({ answers }: { answers: (string[] | Error)[] }) {
  const names = useQuery({
    queryKey: ["names"],
    queryFn: () => {
      const answer = answers.shift() ?? new ApiError(500, { detail: "No more answers." });
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  });
  return (
    <QueryState query={names} loading="Loading names…" error="Could not load the names.">
      {(list) => (list.length ? <ul aria-label="Names">{list.map((name) => <li key={name}>{name}</li>)}</ul> : <p>Nobody.</p>)}
    </QueryState>
  );
}

function renderNames(answers: (string[] | Error)[]) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <Names answers={answers} />
    </QueryClientProvider>,
  );
  return queryClient;
}

describe("QueryState", () => {
  it("says it is loading, then renders the data", async () => {
    renderNames([["Ada", "Grace"]]);
    expect(screen.getByText("Loading names…")).toBeInTheDocument();
    const list = await screen.findByRole("list", { name: "Names" });
    expect(list).toHaveTextContent("AdaGrace");
    expect(screen.queryByText("Loading names…")).not.toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("passes empty data to its children too", async () => {
    renderNames([[]]);
    expect(await screen.findByText("Nobody.")).toBeInTheDocument();
  });

  it("explains a failure and loads again on “Try again”", async () => {
    renderNames([DOWN(), ["Ada"]]);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not load the names. The server is down.");
    expect(screen.queryByText("Loading names…")).not.toBeInTheDocument();

    await userEvent.setup().click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("list", { name: "Names" })).toHaveTextContent("Ada");
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("keeps the data on screen when a refresh fails", async () => {
    const queryClient = renderNames([["Ada"], DOWN()]);
    await screen.findByRole("list", { name: "Names" });
    await queryClient.refetchQueries({ queryKey: ["names"] });
    expect(queryClient.getQueryState(["names"])?.status).toBe("error");
    expect(screen.getByRole("list", { name: "Names" })).toHaveTextContent("Ada");
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });
});
