import { describe, expect, it } from "vitest";
import { clickSelect, EMPTY_SELECTION, keepListed, orderedSelection, selectAll } from "./selection";

const order = [10, 11, 12, 13, 14, 15];

describe("selection", () => {
  it("toggles on click and ctrl-click", () => {
    let s = clickSelect(EMPTY_SELECTION, order, 12, {});
    expect([...s.ids]).toEqual([12]);
    s = clickSelect(s, order, 14, { toggle: true });
    expect(orderedSelection(s, order)).toEqual([12, 14]);
    s = clickSelect(s, order, 12, { toggle: true });
    expect(orderedSelection(s, order)).toEqual([14]);
    expect(s.anchor).toBe(12);
  });

  it("selects a range on shift-click, in either direction, keeping the anchor", () => {
    let s = clickSelect(EMPTY_SELECTION, order, 13, {});
    s = clickSelect(s, order, 11, { shift: true });
    expect(orderedSelection(s, order)).toEqual([11, 12, 13]);
    s = clickSelect(s, order, 15, { shift: true });
    expect(orderedSelection(s, order)).toEqual([11, 12, 13, 14, 15]);
    expect(s.anchor).toBe(13);
  });

  it("treats shift-click without an anchor as a click", () => {
    const s = clickSelect(EMPTY_SELECTION, order, 15, { shift: true });
    expect([...s.ids]).toEqual([15]);
  });

  it("selects all and forgets photos no longer listed", () => {
    const all = selectAll(order);
    expect(all.ids.size).toBe(6);
    const kept = keepListed(all, [10, 12]);
    expect(orderedSelection(kept, order)).toEqual([10, 12]);
    expect(kept.anchor).toBe(10);
    expect(keepListed(kept, [10, 12])).toBe(kept);
  });
});
