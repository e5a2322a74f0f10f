import type { SearchWord } from "../api/types";

/** Matches shown per word; the rest are counted. */
const SHOWN = 3;

type Match = SearchWord["matches"][number];

function describe(word: string, match: Match): string {
  const field = match.field === "tag" ? "" : `${match.field} `;
  switch (match.relation) {
    case "word":
      return `${field}${match.name}`;
    case "prefix":
      return `${field}${match.name} (starts with ${word})`;
    case "synonym":
      return `${field}${match.name} (synonym of ${word})`;
    case "narrower":
      return `${field}${match.name} (a kind of ${word})`;
    case "broader":
      return `${field}${match.name} (broader than ${word})`;
    case "related":
      return `${field}${match.name} (related to ${word})`;
    case "typo":
      return `${field}${match.name} (for ${word})`;
  }
}

/** "matched: seashore (related to beach) · album trip" — what each word of the free text found. */
export function describeMatches(words: SearchWord[]): string {
  return words
    .map(({ word, matches }) => {
      if (matches.length === 0) return `nothing for ${word}`;
      const shown = matches.slice(0, SHOWN).map((m) => describe(word, m));
      const more = matches.length - SHOWN;
      return more > 0 ? `${shown.join(", ")} and ${more} more` : shown.join(", ");
    })
    .join(" · ");
}
