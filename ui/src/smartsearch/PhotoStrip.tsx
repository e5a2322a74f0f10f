import { Link } from "react-router";
import type { SemanticItem } from "../api/types";
import { gridUrl } from "../shared/photoUrls";
import { photoPath } from "../shared/routes";

/** Thumbnails of smart search's answers, best first; each opens the viewer. */
export function PhotoStrip({ items, testId }: { items: SemanticItem[]; testId: string }) {
  return (
    <ul className="smart__grid" data-testid={testId}>
      {items.map((item) => (
        <li key={item.id}>
          <Link
            to={photoPath(item.id)}
            data-photo-id={item.id}
            aria-label={`Photo ${item.id}`}
            title={`Similarity ${item.score.toFixed(2)}`}
          >
            <img src={gridUrl(item.id, item.thumbnail_version)} alt="" loading="lazy" />
          </Link>
        </li>
      ))}
    </ul>
  );
}
