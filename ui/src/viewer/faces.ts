import type { Face, FaceBox } from "../api/types";

/** Faces worth a box: everything but what a person marked "not a face". */
export function visibleFaces(faces: readonly Face[]): Face[] {
  return faces.filter((face) => face.verdict !== "rejected");
}

/** CSS placing a box given as fractions of the displayed image, clamped to the image. */
export function faceBoxStyle(box: FaceBox): { left: string; top: string; width: string; height: string } {
  const clamp = (value: number) => Math.min(1, Math.max(0, value));
  const left = clamp(box.x);
  const top = clamp(box.y);
  const pct = (value: number) => `${(value * 100).toFixed(2)}%`;
  return {
    left: pct(left),
    top: pct(top),
    width: pct(clamp(box.x + box.width) - left),
    height: pct(clamp(box.y + box.height) - top),
  };
}

/** What a face box says: its person's name, "Unnamed person N" for an unnamed group, else "Unnamed". */
export function faceLabel(face: Pick<Face, "person" | "person_name">): string {
  if (face.person === null) return "Unnamed";
  return face.person_name?.trim() || `Unnamed person ${face.person}`;
}

/** Where a face's naming popover sits: under the box, or above it for a face low on the photo. */
export function facePopoverStyle(box: FaceBox): { left: string; top?: string; bottom?: string } {
  const clamp = (value: number) => Math.min(1, Math.max(0, value));
  const left = `${(clamp(box.x) * 100).toFixed(2)}%`;
  const below = clamp(box.y + box.height);
  if (below <= 0.6) return { left, top: `${(below * 100).toFixed(2)}%` };
  return { left, bottom: `${((1 - clamp(box.y)) * 100).toFixed(2)}%` };
}
