/** A CSS colour for a colour tag's name ("Blue" → blue), grey when the browser does not know it. */
export function swatchColour(name: string): string {
  const css = name.toLowerCase().replace(/\s+/g, "");
  if (typeof CSS !== "undefined" && typeof CSS.supports === "function" && CSS.supports("color", css)) return css;
  return "#888";
}

export function formatExposure(seconds: number): string {
  if (seconds >= 1 || seconds <= 0) return `${Math.round(seconds * 10) / 10} s`;
  return `1/${Math.round(1 / seconds)} s`;
}

