// Zoom and pan of the viewer's image: a scale and a translation (px) of the image fitted in the
// stage. Pure arithmetic, so wheel, pinch, keys and double-click share it.

export interface View {
  scale: number;
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

export const FIT: View = { scale: 1, x: 0, y: 0 };
export const MIN_SCALE = 1;
export const MAX_SCALE = 8;

/** The image's size when fitted (contained) in the stage. */
export function fitSize(image: Size, stage: Size): Size {
  if (!image.width || !image.height || !stage.width || !stage.height) return { width: stage.width, height: stage.height };
  const ratio = Math.min(stage.width / image.width, stage.height / image.height);
  return { width: image.width * ratio, height: image.height * ratio };
}

/** Keep the image covering the stage where it is larger; centred where it is smaller. */
export function clampPan(view: View, fitted: Size, stage: Size): View {
  const maxX = Math.max(0, (fitted.width * view.scale - stage.width) / 2);
  const maxY = Math.max(0, (fitted.height * view.scale - stage.height) / 2);
  // `+ 0` turns -0 into 0.
  return {
    scale: view.scale,
    x: Math.min(maxX, Math.max(-maxX, view.x)) + 0,
    y: Math.min(maxY, Math.max(-maxY, view.y)) + 0,
  };
}

/**
 * Zoom by `factor` keeping the point under `focus` (relative to the stage's centre) still.
 */
export function zoomAt(view: View, factor: number, focus: { x: number; y: number }, fitted: Size, stage: Size): View {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, view.scale * factor));
  if (scale === MIN_SCALE) return FIT;
  const ratio = scale / view.scale;
  const next = {
    scale,
    x: focus.x - (focus.x - view.x) * ratio,
    y: focus.y - (focus.y - view.y) * ratio,
  };
  return clampPan(next, fitted, stage);
}

export function panBy(view: View, dx: number, dy: number, fitted: Size, stage: Size): View {
  return clampPan({ scale: view.scale, x: view.x + dx, y: view.y + dy }, fitted, stage);
}

/** A horizontal swipe: -1 (to the next photo), 1 (to the previous), or 0. */
export function swipeDirection(dx: number, dy: number, ms: number, minDistance = 60): -1 | 0 | 1 {
  if (Math.abs(dx) < minDistance || Math.abs(dx) < Math.abs(dy) * 1.5 || ms > 800) return 0;
  return dx < 0 ? -1 : 1;
}
