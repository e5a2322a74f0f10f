// Selection in the timeline: click toggles (once something is selected), Ctrl/Cmd-click toggles,
// Shift-click selects the range from the last clicked photo, select-all takes what is loaded.

export interface Selection {
  ids: ReadonlySet<number>;
  /** The photo the next shift-click ranges from. */
  anchor: number | null;
}

export const EMPTY_SELECTION: Selection = { ids: new Set(), anchor: null };

export interface ClickModifiers {
  shift?: boolean;
  toggle?: boolean;
}

/** The selection after clicking photo `id` in `order` (the ids as shown). */
export function clickSelect(selection: Selection, order: readonly number[], id: number, mods: ClickModifiers): Selection {
  if (mods.shift && selection.anchor !== null) {
    const from = order.indexOf(selection.anchor);
    const to = order.indexOf(id);
    if (from !== -1 && to !== -1) {
      const [lo, hi] = from <= to ? [from, to] : [to, from];
      const ids = new Set(selection.ids);
      for (let i = lo; i <= hi; i++) ids.add(order[i]!);
      // The anchor stays, so a second shift-click re-ranges from the same photo.
      return { ids, anchor: selection.anchor };
    }
  }
  const ids = new Set(selection.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { ids, anchor: id };
}

export function selectAll(order: readonly number[]): Selection {
  return { ids: new Set(order), anchor: order[0] ?? null };
}

/** Forget selected photos that are no longer listed (after hiding, or new filters). */
export function keepListed(selection: Selection, order: readonly number[]): Selection {
  const listed = new Set(order);
  const ids = new Set([...selection.ids].filter((id) => listed.has(id)));
  if (ids.size === selection.ids.size) return selection;
  return { ids, anchor: selection.anchor !== null && listed.has(selection.anchor) ? selection.anchor : null };
}

/** Selected ids in display order. */
export function orderedSelection(selection: Selection, order: readonly number[]): number[] {
  return order.filter((id) => selection.ids.has(id));
}
