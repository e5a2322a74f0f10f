import { cropUrl } from "./logic";

/** A round face crop; a grey disc when there is no face to show. */
export function FaceCrop({ faceId, src, size }: { faceId: number | null; src?: string | null; size?: "small" }) {
  const url = src ?? (faceId !== null ? cropUrl(faceId) : null);
  const className = `face-crop${size ? ` face-crop--${size}` : ""}`;
  return url ? <img className={className} src={url} alt="" loading="lazy" /> : <span className={className} aria-hidden="true" />;
}
