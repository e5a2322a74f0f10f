import { formatExposureTime, formatNumber } from "../shared/format";

/** "f/2.8 · 1/250 s · ISO 200 · 50 mm (75 mm eq.)", skipping what is unknown. */
export function exposureLine(photo: {
  aperture: number | null;
  exposure_time: number | null;
  iso: number | null;
  focal_length: number | null;
  focal_length_35mm: number | null;
}): string {
  const parts: string[] = [];
  if (photo.aperture) parts.push(`f/${formatNumber(photo.aperture, { maximumFractionDigits: 1 })}`);
  const exposure = formatExposureTime(photo.exposure_time);
  if (exposure) parts.push(exposure);
  if (photo.iso) parts.push(`ISO ${formatNumber(photo.iso, { useGrouping: false })}`);
  if (photo.focal_length) {
    const eq =
      photo.focal_length_35mm && Math.round(photo.focal_length_35mm) !== Math.round(photo.focal_length)
        ? ` (${formatNumber(Math.round(photo.focal_length_35mm))} mm eq.)`
        : "";
    parts.push(`${formatNumber(photo.focal_length, { maximumFractionDigits: 1 })} mm${eq}`);
  }
  return parts.join(" · ");
}

/** Flatten nested metadata ({group: {tag: value}}) into sorted "group:tag" rows. */
export function flattenMetadata(value: unknown, prefix = ""): [string, string][] {
  if (value === null || value === undefined) return prefix ? [[prefix, ""]] : [];
  if (typeof value === "string") return [[prefix, value]];
  if (typeof value === "number" || typeof value === "boolean") return [[prefix, String(value)]];
  if (typeof value !== "object") return [[prefix, ""]];
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== "object")) return [[prefix, value.join(", ")]];
    return value.flatMap((v, i) => flattenMetadata(v, `${prefix}[${i}]`));
  }
  return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => flattenMetadata(v, prefix ? `${prefix}:${key}` : key));
}

const RAW_METHODS: Record<string, string> = {
  preview: "Shown from the camera's embedded preview",
  "preview-fallback": "Shown from the camera's embedded preview (LibRaw could not develop it)",
  "develop-half": "Developed from the sensor data at half size",
  develop: "Developed from the sensor data",
};

/** How a RAW file was made viewable, in words; null for other files or a RAW not developed yet. */
export function rawMethodLabel(method: string | null | undefined): string | null {
  if (!method) return null;
  return RAW_METHODS[method] ?? `Developed (${method})`;
}

/**
 * Which kind a tag name is shown under when the photo carries it as several kinds (a person's
 * keyword "beach" and the object "beach"; a style tag an older classifier stored next to the
 * same object): once, under the first kind here (`photonix export` lists tags the same way).
 */
export const TAG_TYPE_PRECEDENCE = ["keyword", "object", "place", "event", "colour", "style"];

function precedence(type: string): number {
  const index = TAG_TYPE_PRECEDENCE.indexOf(type);
  return index < 0 ? TAG_TYPE_PRECEDENCE.length : index;
}

/**
 * The tags to show, grouped by kind in the order they came: rejected ones left out, and each
 * name once (compared without regard to case), under the kind that takes precedence and, within
 * it, its most confident tag.
 */
export function tagsByType<T extends { type: string; name: string; confidence: number | null; verdict: string }>(
  tags: readonly T[],
): Map<string, T[]> {
  const shown = tags.filter((tag) => tag.verdict !== "rejected");
  const owner = new Map<string, T>();
  for (const tag of shown) {
    const key = tag.name.toLocaleLowerCase();
    const current = owner.get(key);
    const better =
      current === undefined ||
      precedence(tag.type) < precedence(current.type) ||
      (tag.type === current.type && (tag.confidence ?? 0) > (current.confidence ?? 0));
    if (better) owner.set(key, tag);
  }
  const groups = new Map<string, T[]>();
  for (const tag of shown) {
    if (owner.get(tag.name.toLocaleLowerCase()) !== tag) continue;
    groups.set(tag.type, [...(groups.get(tag.type) ?? []), tag]);
  }
  return groups;
}
