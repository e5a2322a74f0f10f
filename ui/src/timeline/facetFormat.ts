import type { FacetOption, FacetTag } from "../api/types";
import { labelFor } from "../shared/labels";

/** A CSS colour for a colour tag's name ("Blue" → blue), grey when the browser does not know it. */
export function swatchColour(name: string): string {
  const css = name.toLowerCase().replace(/\s+/g, "");
  if (typeof CSS !== "undefined" && typeof CSS.supports === "function" && CSS.supports("color", css)) return css;
  return "#888";
}

/**
 * The options to show: the facet's, and every chosen one even when the facet no longer has it
 * (other filters leave none of its photos), so that it can still be unticked.
 */
export function optionsWithChosen(options: (FacetOption | FacetTag)[], chosen: number[], kind: string, noun: string): (FacetOption | FacetTag)[] {
  const present = new Set(options.map((o) => o.id));
  const missing = chosen.filter((id) => !present.has(id)).map((id) => ({ id, name: labelFor(kind, id) ?? `${noun} ${id}`, count: 0 }));
  return [...options, ...missing];
}
