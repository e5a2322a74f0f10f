import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { Modal } from "./Modal";

function Opener({ removeOpener = false }: { removeOpener?: boolean }) {
  const [open, setOpen] = useState(false);
  const [gone, setGone] = useState(false);
  return (
    <>
      {!gone && (
        <button type="button" onClick={() => setOpen(true)}>
          Open
        </button>
      )}
      <button type="button">Elsewhere</button>
      {open && (
        <Modal
          title="A question"
          onClose={() => setOpen(false)}
          actions={
            <button
              type="button"
              onClick={() => {
                if (removeOpener) setGone(true);
                setOpen(false);
              }}
            >
              Done
            </button>
          }
        >
          <input aria-label="Answer" autoFocus />
        </Modal>
      )}
    </>
  );
}

describe("useModalDialog", () => {
  it("puts the focus back on the button that opened the dialog when the dialog goes", async () => {
    const user = userEvent.setup();
    render(<Opener />);
    await user.click(screen.getByRole("button", { name: "Open" }));
    expect(screen.getByRole("textbox", { name: "Answer" })).toHaveFocus();
    await user.click(screen.getByRole("button", { name: "Done" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Open" })).toHaveFocus();
  });

  it("leaves the focus alone when the opener went with it", async () => {
    const user = userEvent.setup();
    render(<Opener removeOpener />);
    await user.click(screen.getByRole("button", { name: "Open" }));
    await user.click(screen.getByRole("button", { name: "Done" }));
    expect(screen.queryByRole("button", { name: "Open" })).not.toBeInTheDocument();
    expect(document.body).toHaveFocus();
  });
});
