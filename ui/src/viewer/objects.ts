import type { FaceBox, PhotoTag, PhotoTags } from "../api/types";

/** An object the detector found on the photo: its tag's name and where it is. */
export interface ObjectBox {
  key: string;
  name: string;
  confidence: number;
  box: FaceBox;
}

/**
 * The photo's object tags that carry a box (the detector's), surest first; a box the photo carries
 * twice (one tag found by two means) once. Rejected tags are not in the photo's tags as fetched.
 */
export function objectBoxes(photoTags: PhotoTags | undefined): ObjectBox[] {
  const seen = new Set<string>();
  const boxes: ObjectBox[] = [];
  const rows: PhotoTag[] = [...(photoTags?.tags.object ?? [])].sort((a, b) => b.confidence - a.confidence);
  for (const row of rows) {
    if (row.verdict === "rejected" || !row.box || row.box.length !== 4) continue;
    const [x = 0, y = 0, width = 0, height = 0] = row.box;
    const key = `${row.tag}:${row.box.join(",")}`;
    if (seen.has(key)) continue;
    seen.add(key);
    boxes.push({ key, name: row.name, confidence: row.confidence, box: { x, y, width, height } });
  }
  return boxes;
}

/** What an object box says: its name and how sure the detector is ("horse 96 %"). */
export function objectLabel(object: Pick<ObjectBox, "name" | "confidence">): string {
  return `${object.name} ${Math.round(object.confidence * 100)} %`;
}
