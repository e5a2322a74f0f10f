import { memo, useState } from "react";
import { gridUrl } from "../shared/photoUrls";
import { placeholderDataURL } from "../shared/thumbhash";

/** A grid image over its decoded ThumbHash, which shows until (or if never) the image loads. */
export const Thumb = memo(function Thumb({
  id,
  version,
  placeholder,
  alt,
}: {
  id: number;
  version: number;
  placeholder: string;
  alt: string;
}) {
  const [loaded, setLoaded] = useState(false);
  const background = placeholderDataURL(placeholder);
  return (
    <span
      className="thumb"
      data-testid="thumb"
      style={background ? { backgroundImage: `url("${background}")` } : undefined}
    >
      <img
        className={loaded ? "thumb__img thumb__img--loaded" : "thumb__img"}
        src={gridUrl(id, version)}
        alt={alt}
        decoding="async"
        draggable={false}
        onLoad={() => setLoaded(true)}
      />
    </span>
  );
});
