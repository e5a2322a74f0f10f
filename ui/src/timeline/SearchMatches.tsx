import { useSearchExplanation } from "./queries";
import { describeMatches } from "./searchMatches";

/** A line under the search box saying why the free text found what it found. */
export function SearchMatches({ q }: { q: string | undefined }) {
  const explanation = useSearchExplanation(q);
  const words = explanation.data?.words ?? [];
  if (!q?.trim() || words.length === 0) return null;
  return (
    <p className="muted search-matches" aria-live="polite">
      Matched: {describeMatches(words)}
    </p>
  );
}
