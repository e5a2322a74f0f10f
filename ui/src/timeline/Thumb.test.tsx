import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Thumb } from "./Thumb";

const REASON = "damaged JPEG file: image data is truncated";

describe("Thumb", () => {
  it("shows a photo that could not be made as failed, with its reason, and asks for no image", () => {
    render(<Thumb id={7} version={0} placeholder="" alt="" failure={REASON} />);
    const thumb = screen.getByTestId("thumb");
    const badge = within(thumb).getByTestId("failed-badge");
    expect(badge).toHaveTextContent(`Failed: ${REASON}`);
    expect(badge).toHaveAttribute("title", REASON);
    expect(thumb).toHaveClass("thumb--failed");
    expect(thumb.querySelector("img")).toBeNull(); // no request for a thumbnail that does not exist
  });

  it("keeps the image it had, under the badge, when a later version failed", () => {
    render(<Thumb id={7} version={2} placeholder="" alt="" failure={REASON} />);
    expect(screen.getByTestId("thumb").querySelector("img")).toHaveAttribute("src", "/api/photos/7/thumbnail/grid?v=2");
    expect(screen.getByTestId("failed-badge")).toBeInTheDocument();
  });

  it("shows an ordinary photo's image and no badge", () => {
    render(<Thumb id={8} version={1} placeholder="" alt="" failure={null} />);
    expect(screen.getByTestId("thumb").querySelector("img")).not.toBeNull();
    expect(screen.queryByTestId("failed-badge")).not.toBeInTheDocument();
  });
});
