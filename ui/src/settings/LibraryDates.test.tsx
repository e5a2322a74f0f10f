import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Library, NamedDate, Session } from "../api/types";
import { fakeApi, HEALTHY, json, MEMBER_SESSION } from "../test/fakeApi";
import { renderApp } from "../test/render";
import { describeNamedDate } from "./namedDates";

function library(role: Library["role"]): Library {
  return { id: 7, name: "Family", created_at: "2024-01-01T00:00:00Z", photo_count: 1, error_count: 0, role, folders: [], upload_folder: "", delete_originals: false, write_originals: false };
}

function serve(session: Session, lib: Library, dates: NamedDate[], posted: unknown[] = []) {
  return fakeApi({
    "GET /api/auth/session": () => json(session),
    "GET /api/health": () => json(HEALTHY),
    "GET /api/libraries": () => json([lib]),
    "GET /api/libraries/7/members": () => json([]),
    "GET /api/libraries/7/events": () => json(dates),
    "POST /api/libraries/7/events": async (request) => {
      const body = (await request.json()) as { name: string; date: string; yearly: boolean };
      posted.push(body);
      if (body.name === "Taken") return json({ name: ["A date of this library already has this name."] }, 400);
      const added = { id: 9, ...body };
      dates.push(added);
      return json(added, 201);
    },
    "DELETE /api/libraries/7/events/4": () => {
      dates.splice(0, 1);
      return new Response(null, { status: 204 });
    },
  });
}

async function section() {
  const card = within(await screen.findByRole("article", { name: "Family" }));
  return within(card.getByRole("region", { name: "Named dates" }));
}

describe("Settings: named dates", () => {
  it("words yearly and one-off dates", () => {
    expect(describeNamedDate({ date: "2020-12-07", yearly: true })).toBe("Dec 7, every year since 2020");
    expect(describeNamedDate({ date: "2026-12-07", yearly: false })).toBe("Dec 7, 2026");
  });

  it("lets an owner list, add and remove the library's dates, with clear errors", async () => {
    const dates: NamedDate[] = [{ id: 4, name: "Grandma's birthday", date: "1950-03-02", yearly: true }];
    const posted: unknown[] = [];
    serve(MEMBER_SESSION, library("owner"), dates, posted);
    renderApp("/settings");
    const dated = await section();
    expect(await dated.findByText("Grandma's birthday")).toBeInTheDocument();
    expect(dated.getByText("Mar 2, every year since 1950")).toBeInTheDocument();

    const user = userEvent.setup();
    await user.click(dated.getByRole("button", { name: "Add date" }));
    expect(dated.getByText("Give the date a name.")).toBeInTheDocument();
    expect(dated.getByText("Choose the day.")).toBeInTheDocument();
    expect(posted).toEqual([]);

    await user.type(dated.getByLabelText("Name"), "Taken");
    await user.type(dated.getByLabelText("Day"), "2026-06-20");
    await user.click(dated.getByRole("button", { name: "Add date" }));
    expect(await dated.findByText("A date of this library already has this name.")).toBeInTheDocument();

    await user.clear(dated.getByLabelText("Name"));
    await user.type(dated.getByLabelText("Name"), "Wedding");
    await user.click(dated.getByLabelText("Only that day"));
    await user.click(dated.getByRole("button", { name: "Add date" }));
    expect(await dated.findByText("Wedding")).toBeInTheDocument();
    expect(dated.getByText("Jun 20, 2026")).toBeInTheDocument();
    expect(posted.at(-1)).toEqual({ name: "Wedding", date: "2026-06-20", yearly: false });

    await user.click(dated.getByRole("button", { name: "Remove Grandma's birthday" }));
    await waitFor(() => expect(dated.queryByText("Grandma's birthday")).not.toBeInTheDocument());
  });

  it("shows a viewer the dates without the controls", async () => {
    serve(MEMBER_SESSION, library("viewer"), [{ id: 4, name: "Anniversary", date: "2001-05-05", yearly: true }]);
    renderApp("/settings");
    const dated = await section();
    expect(await dated.findByText("Anniversary")).toBeInTheDocument();
    expect(dated.queryByRole("button", { name: /Remove/ })).not.toBeInTheDocument();
    expect(dated.queryByRole("form")).not.toBeInTheDocument();
  });
});
