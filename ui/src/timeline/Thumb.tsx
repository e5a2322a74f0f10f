import { memo, useState } from "react";
import { FailedBadge } from "../shared/FailedBadge";
import { gridUrl } from "../shared/photoUrls";
import { placeholderDataURL } from "../shared/thumbhash";

/**
 * A grid image over its decoded ThumbHash, which shows until (or if never) the image loads. A
 * photo whose image could not be made (`failure`) shows a "Failed" badge with the reason, and
 * no image is asked for when it has none.
 */
export const Thumb = memo(function Thumb({
  id,
  version,
  placeholder,
  alt,
  failure = null,
}: {
  id: number;
  version: number;
  placeholder: string;
  alt: string;
  failure?: string | null;
}) {
  const [loaded, setLoaded] = useState(false);
  const background = placeholderDataURL(placeholder);
  const failed = Boolean(failure);
  return (
    <span
      className={failed ? "thumb thumb--failed" : "thumb"}
      data-testid="thumb"
      style={background ? { backgroundImage: `url("${background}")` } : undefined}
    >
      {(!failed || version > 0) && (
        <img
          className={loaded ? "thumb__img thumb__img--loaded" : "thumb__img"}
          src={gridUrl(id, version)}
          alt={alt}
          decoding="async"
          draggable={false}
          onLoad={() => setLoaded(true)}
        />
      )}
      {/* Without an image the alt text still names the tile. */}
      {failed && version === 0 && <span className="visually-hidden">{alt}</span>}
      {failure && <FailedBadge reason={failure} />}
    </span>
  );
});
